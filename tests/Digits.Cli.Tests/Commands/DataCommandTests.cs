using Digits.Cli.Tests.Support;
using Digits.Core.Data;
using Digits.Tests.Support;

namespace Digits.Cli.Tests.Commands;

public sealed class DataCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task DataVerify_SharedMnist_ExitsZeroListingEveryFile()
    {
        CliResult result = await CliRunner.RunAsync("data", "verify", "--data", SharedMnist.Folder);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Error);
        foreach (MnistFile file in MnistFiles.All)
        {
            Assert.Contains(file.GzipName, result.Output);
        }
    }

    [Fact]
    public async Task DataVerify_CorruptedCopy_ExitsOneCountingTheBadFile()
    {
        DataFolders.CopyAll(_dir);
        DataFolders.WriteChangedLabels(_dir, MnistFiles.TestLabels);

        CliResult result = await CliRunner.RunAsync("data", "verify", "--data", _dir.Path);

        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        Assert.Contains("1 of 4", line);
        Assert.Contains("digits data download", line);
        Assert.Contains(MnistFiles.TestLabels.Sha256, result.Output);
    }

    [Fact]
    public async Task DataVerify_EmptyFolder_ExitsOneWithAllFourMissing()
    {
        CliResult result = await CliRunner.RunAsync("data", "verify", "--data", _dir.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("4 of 4", Assert.Single(result.ErrorLines));
    }
}
