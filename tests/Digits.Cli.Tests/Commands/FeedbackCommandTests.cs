using System.Net;
using System.Net.Sockets;
using Digits.Cli.Tests.Support;
using Digits.Core.Preprocessing;
using Digits.Stores;
using Digits.Tests.Support;
using SkiaSharp;

namespace Digits.Cli.Tests.Commands;

/// <summary><c>digits feedback export</c> and <c>digits serve</c>'s start-up errors.</summary>
public sealed class FeedbackCommandTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Export_WritesEachCorrectionUnderItsDigit_AndOnlyNewOnesTheSecondTime()
    {
        string storeFolder = _folder.File("store");
        byte[] seven = TestPictures.DrawnSeven();
        byte[] jpeg = TestPictures.DrawnSeven(SKEncodedImageFormat.Jpeg);
        var store = new StoreOptions { Directory = storeFolder };
        using (IDigitsStore opened = store.Open())
        {
            await opened.AddCorrectionAsync(new Correction(seven, 1, 7, "m", DateTimeOffset.UnixEpoch), long.MaxValue, TestContext.Current.CancellationToken);
            await opened.AddCorrectionAsync(new Correction(jpeg, 2, 7, "m", DateTimeOffset.UnixEpoch), long.MaxValue, TestContext.Current.CancellationToken);
        }
        string output = _folder.File("corrections");

        CliResult first = await CliRunner.RunAsync("feedback", "export", output, "--store", storeFolder);
        using (IDigitsStore opened = store.Open())
        {
            await opened.AddCorrectionAsync(new Correction(seven, 7, 1, "m", DateTimeOffset.UnixEpoch), long.MaxValue, TestContext.Current.CancellationToken);
        }
        CliResult second = await CliRunner.RunAsync("feedback", "export", output, "--store", storeFolder);

        Assert.Equal(0, first.ExitCode);
        Assert.Contains("Wrote 2 new", first.Output, StringComparison.Ordinal);
        Assert.Contains("Wrote 1 new", second.Output, StringComparison.Ordinal);
        Assert.Equal(["correction-000001.png", "correction-000002.jpg"], Directory.GetFiles(Path.Combine(output, "7")).Select(Path.GetFileName).Order());
        Assert.Equal(seven, File.ReadAllBytes(Path.Combine(output, "7", "correction-000001.png")));
        Assert.Single(Directory.GetFiles(Path.Combine(output, "1")));
        Assert.Empty(Directory.GetFiles(Path.Combine(output, "0")));
        Assert.Equal(280, ImageDecoder.DecodeFile(Path.Combine(output, "7", "correction-000002.jpg")).Width);
    }

    [Fact]
    public async Task Export_NoStoreThere_SaysWhereItLooked()
    {
        string missing = _folder.File("never-served");

        CliResult result = await CliRunner.RunAsync("feedback", "export", _folder.File("out"), "--store", missing);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(missing, Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_MissingModel_StopsWithOneLine()
    {
        string missing = _folder.File("gone.digits");

        CliResult result = await CliRunner.RunAsync("serve", "--model", missing, "--store", _folder.Path, "--urls", "http://127.0.0.1:0");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(missing, Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_OnABusyPort_StopsWithOneLineAndNoStackTrace()
    {
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        int port = ((IPEndPoint)busy.LocalEndpoint).Port;

        CliResult result = await CliRunner.RunAsync("serve", "--store", _folder.Path, "--urls", $"http://127.0.0.1:{port}");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: Failed to bind to address http://127.0.0.1:{port}: address already in use.", Assert.Single(result.ErrorLines));
        Assert.DoesNotContain("Exception", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("foo")]
    [InlineData("ftp://localhost:21")]
    public async Task Serve_AnAddressThatIsNotOne_StopsWithOneLine(string urls)
    {
        CliResult result = await CliRunner.RunAsync("serve", "--store", _folder.Path, "--urls", urls);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: '{urls}' is not an address to listen on; give one such as http://localhost:5000 or http://0.0.0.0:8080 (several separated by ';').", Assert.Single(result.ErrorLines));
    }
}
