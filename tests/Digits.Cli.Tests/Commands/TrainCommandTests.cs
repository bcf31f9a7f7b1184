using System.Diagnostics;
using Digits.Cli.Tests.Support;
using Digits.Core.Data;
using Digits.Core.Inference;
using Digits.Tests.Support;

namespace Digits.Cli.Tests.Commands;

/// <summary>Training runs that must stop at once with one clear line; the real runs are in <see cref="TrainEvaluateResumeTests"/>.</summary>
public sealed class TrainCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string ModelPath => _dir.File("model.digits");

    [Fact]
    public async Task Train_UnknownDevice_ExitsOneWithOneLineError()
    {
        CliResult result = await CliRunner.RunAsync("train", "--device", "gpu", "--out", ModelPath, "--data", SharedMnist.Folder);

        Assert.Equal(1, result.ExitCode);
        // The whole error on its first line, choices included; only the usage hint may follow.
        string line = result.ErrorLines[0];
        Assert.StartsWith("error:", line);
        Assert.Contains("'gpu'", line);
        Assert.Contains("cpu", line);
        Assert.Contains("cuda", line);
        Assert.All(result.ErrorLines.Skip(1), l => Assert.StartsWith("Run 'digits --help'", l));
        Assert.False(File.Exists(ModelPath));
    }

    [Fact]
    public async Task Train_MissingDataFolder_ExitsOneSayingHowToDownload()
    {
        string missing = _dir.File("no-such-folder");

        CliResult result = await CliRunner.RunAsync("train", "--data", missing, "--out", ModelPath, "--epochs", "1");

        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        Assert.Contains(missing, line);
        Assert.Contains("digits data download", line);
        Assert.False(File.Exists(ModelPath));
    }

    [Fact]
    public async Task Train_CorruptIdxFile_ExitsOneNamingTheFile()
    {
        File.Copy(SharedMnist.PathOf(MnistFiles.TrainLabels), _dir.File(MnistFiles.TrainLabels.GzipName));
        // An images file whose header has the labels' magic number.
        string images = _dir.File(MnistFiles.TrainImages.Name);
        File.WriteAllBytes(images, [0, 0, 8, 1, 0, 0, 0, 1, 0, 0, 0, 28, 0, 0, 0, 28, .. new byte[28 * 28]]);

        CliResult result = await CliRunner.RunAsync("train", "--data", _dir.Path, "--out", ModelPath, "--epochs", "1");

        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        Assert.Contains(images, line);
        Assert.Contains("0x00000801", line);
        Assert.False(File.Exists(ModelPath));
    }

    [Theory]
    [InlineData("6/5", "--held-out takes K/N")]
    [InlineData("0/5", "--extra-data names a folder")]
    public async Task Train_HeldOutThatCannotApply_ExitsOneSayingWhy(string fold, string expected)
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "extra", "3"));

        CliResult result = await CliRunner.RunAsync("train", "--extra-data", Path.Combine(_dir.Path, "extra"), "--held-out", fold, "--data", SharedMnist.Folder, "--out", ModelPath, "--epochs", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, Assert.Single(result.ErrorLines));
        Assert.False(File.Exists(ModelPath));
    }

    [Fact]
    public async Task Train_OverAFileItDidNotStartFrom_RefusesNamingOutAndForceAndLeavesTheFile()
    {
        byte[] someonesWork = [1, 2, 3];
        File.WriteAllBytes(ModelPath, someonesWork);

        CliResult result = await CliRunner.RunAsync("train", "--model", "lenet", "--epochs", "1", "--limit", "500", "--out", ModelPath, "--data", SharedMnist.Folder);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            $"error: '{ModelPath}' already exists, and this command would replace it; write elsewhere with --out FILE, or give --force to replace it.",
            Assert.Single(result.ErrorLines));
        Assert.Equal(someonesWork, File.ReadAllBytes(ModelPath));
    }

    [Fact]
    public async Task Train_IntoAFolder_SaysToNameAFile()
    {
        CliResult result = await CliRunner.RunAsync("train", "--epochs", "1", "--limit", "500", "--out", _dir.Path, "--force", "--data", SharedMnist.Folder);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: '{_dir.Path}' is a folder; give --out the name of a file to write.", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Train_WhereTheShippedModelLies_LeavesItAlone()
    {
        // As a newcomer types it in the project's folder: models/digitnet.digits, the default path, holds the shipped model.
        string shipped = Path.Combine(Directory.CreateDirectory(_dir.File("models")).FullName, "digitnet.digits");
        File.Copy(ShippedModel.Locate(), shipped);
        byte[] before = File.ReadAllBytes(shipped);

        using Process process = DigitsProcess.StartIn(_dir.Path, "train", "--model", "digitnet", "--epochs", "1", "--limit", "500", "--data", Path.GetFullPath(SharedMnist.Folder));
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, process.ExitCode);
        Assert.Equal(before, File.ReadAllBytes(shipped));
    }

    [Fact]
    public async Task Train_NegativeThreads_ExitsOneEchoingTheValue()
    {
        CliResult result = await CliRunner.RunAsync("train", "--threads", "-2", "--data", SharedMnist.Folder, "--out", ModelPath);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("-2", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Train_UnknownAugmentationOption_NamesTheOptions()
    {
        CliResult result = await CliRunner.RunAsync("train", "--augment", "photos,spin=10", "--data", SharedMnist.Folder, "--out", ModelPath);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Unknown augmentation option 'spin'; the options are rotation, shear, zoom", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        Assert.False(File.Exists(ModelPath));
    }
}
