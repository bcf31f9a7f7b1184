using System.Text.Json;
using System.Text.RegularExpressions;
using Digits.Cli.Tests.Support;
using Digits.Core.Inference;
using Digits.Core.Persistence;
using Digits.Core.Preprocessing;
using Digits.Plots;
using Digits.Tests.Support;

namespace Digits.Cli.Tests.Commands;

[Collection(TorchTests.Name)]
public sealed partial class ReportCompareTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [GeneratedRegex("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")]
    private static partial Regex InlinedPng();

    /// <summary>The timing table's latency row: the median in milliseconds, two decimals.</summary>
    [GeneratedRegex("<tr><td>one image, one thread \\(median\\)</td><td>[0-9]+\\.[0-9]{2} ms</td></tr>")]
    private static partial Regex LatencyRow();

    [Fact]
    public async Task Report_ShippedModel_HoldsEverySectionWithInlinedPicturesAndNothingExternal()
    {
        string path = _dir.File("report.html");

        int threads = torch.get_num_threads();

        CliResult result = await CliRunner.RunAsync("report", ShippedModel.Locate(), "-o", path, "--data", SharedMnist.Folder);

        Assert.Equal(0, result.ExitCode);
        string html = File.ReadAllText(path);
        Assert.All(HtmlReport.Sections, id => Assert.Contains($"<section id=\"{id}\">", html));
        Assert.DoesNotContain("http", html);
        Assert.DoesNotContain("<script", html);
        string[] pictures = [.. InlinedPng().Matches(html).Select(m => m.Groups[1].Value)];
        Assert.Equal(4, pictures.Length);
        foreach (string picture in pictures)
        {
            GreyImage image = ImageDecoder.Decode(Convert.FromBase64String(picture));
            Assert.True(image.Pixels.Distinct().Count() > 10, "the picture is not blank");
        }
        // The per-class table has a row for each digit.
        Assert.Equal(10, Regex.Count(html, "<tr><td>[0-9]</td><td>[0-9.]+ ?%</td>"));
        // One latency, measured on one thread, and libtorch is given its thread count back afterwards.
        Assert.Single(LatencyRow().Matches(html));
        Assert.Equal(threads, torch.get_num_threads());
    }

    [Fact]
    public async Task Compare_TwoModels_GivesOneRowEachAndTheirCurves()
    {
        string copy = _dir.File("again.digits");
        File.Copy(ShippedModel.Locate(), copy);
        string curves = _dir.File("curves.png");

        double claimed = ModelFile.Load(ShippedModel.Locate()).Manifest.Metrics[ModelManifest.TestAccuracy];
        int threads = torch.get_num_threads();

        CliResult result = await CliRunner.RunAsync("compare", ShippedModel.Locate(), copy, "--curves", curves, "--json");

        Assert.Equal(0, result.ExitCode);
        using JsonDocument json = JsonDocument.Parse(result.Output);
        JsonElement[] rows = [.. json.RootElement.EnumerateArray()];
        Assert.Equal(2, rows.Length);
        Assert.All(rows, r =>
        {
            Assert.Equal(
                ["name", "file", "parameters", "testAccuracy", "secondsPerEpoch", "latencyMilliseconds", "bytes"],
                r.EnumerateObject().Select(p => p.Name));
            Assert.Equal("digitnet", r.GetProperty("name").GetString());
            // The file's own figure (ShippedModelTests measures that it is the model's real one), not another metric.
            Assert.Equal(claimed, r.GetProperty("testAccuracy").GetDouble());
            // A timing, so only its form is checked: a number for each model.
            Assert.Equal(JsonValueKind.Number, r.GetProperty("latencyMilliseconds").ValueKind);
            Assert.True(r.GetProperty("parameters").GetInt64() > 100_000);
        });
        Assert.Equal([ShippedModel.Locate(), copy], rows.Select(r => r.GetProperty("file").GetString()));
        // The latency runs on one thread; libtorch is given its thread count back afterwards.
        Assert.Equal(threads, torch.get_num_threads());
        GreyImage picture = ImageDecoder.DecodeFile(curves);
        Assert.Equal((FigureFile.DefaultWidth, FigureFile.DefaultHeight), (picture.Width, picture.Height));
        // Said on stderr, as the console carries only JSON.
        Assert.Equal($"Wrote the accuracy curves to {curves}.", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Compare_Piped_KeepsEveryHeaderWholeWithinEightyColumns_AndNamesTheCurvesFile()
    {
        string copy = _dir.File("a-model-file-with-a-long-name.digits");
        File.Copy(ShippedModel.Locate(), copy);
        string curves = _dir.File("curves.png");

        CliResult result = await CliRunner.RunPipedAsync("compare", ShippedModel.Locate(), copy, "--curves", curves);

        Assert.True(result.ExitCode == 0, result.Error);
        string[] lines = result.Output.ReplaceLineEndings("\n").Split('\n');
        Assert.Contains("Parameters", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("…", result.Output, StringComparison.Ordinal);
        Assert.All(lines, l => Assert.True(l.Length <= CliRunner.PipeWidth, l));
        // The line may wrap at a space, as any text does at 80 columns.
        Assert.Contains($"Wrote the accuracy curves to {curves}.", string.Join(' ', result.Output.Split((char[])[' ', '\n'], StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_OverAnExistingPicture_RefusesUnlessForced()
    {
        string curves = _dir.Write("curves.png", "someone's picture");

        CliResult refused = await CliRunner.RunAsync("compare", ShippedModel.Locate(), ShippedModel.Locate(), "--curves", curves);
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal(
            $"error: '{curves}' already exists, and this command would replace it; write elsewhere with --curves FILE, or give --force to replace it.",
            Assert.Single(refused.ErrorLines));
        Assert.Equal("someone's picture", File.ReadAllText(curves));

        CliResult forced = await CliRunner.RunAsync("compare", ShippedModel.Locate(), ShippedModel.Locate(), "--curves", curves, "--force");
        Assert.True(forced.ExitCode == 0, forced.Error);
        Assert.Equal((FigureFile.DefaultWidth, FigureFile.DefaultHeight), (ImageDecoder.DecodeFile(curves).Width, ImageDecoder.DecodeFile(curves).Height));
    }

    [Fact]
    public async Task Compare_OneModel_AsksForTwo()
    {
        CliResult result = await CliRunner.RunAsync("compare", ShippedModel.Locate());

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error:", result.ErrorLines[0]);
    }
}
