using Digits.Cli.Tests.Support;
using Digits.Core.Data;
using Digits.Core.Inference;
using Digits.Core.Persistence;
using Digits.Tests.Support;

namespace Digits.Cli.Tests.Commands;

/// <summary><c>digits train --from MODEL --extra-data FOLDER</c>: fine-tuning the shipped model on people's digits mixed into MNIST.</summary>
[Collection(TorchTests.Name)]
public sealed class FineTuneTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task FineTune_ShippedModelOnDrawnDigits_MixesThemIn_AndStillReadsMnist()
    {
        string corrections = _dir.File("corrections");
        foreach (PenDigit digit in SharedPenDigits.Digits.Take(40))
        {
            string folder = Path.Combine(corrections, digit.Label.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, $"{Guid.NewGuid():N}.png"), TestPictures.CanvasPng(digit));
        }
        string blank = Path.Combine(corrections, "3", "blank.png");
        File.WriteAllBytes(blank, TestPictures.Encode(new Core.Preprocessing.GreyImage(64, 64, new float[64 * 64]), SkiaSharp.SKEncodedImageFormat.Png));
        string tuned = _dir.File("tuned.digits");

        CliResult result = await CliRunner.RunAsync(
            "train", "--from", ShippedModel.Locate(), "--extra-data", corrections, "--limit", "2000", "--epochs", "1", "--out", tuned, "--data", SharedMnist.Folder);

        Assert.True(result.ExitCode == 0, result.Error);
        string output = result.Output.ReplaceLineEndings("");
        Assert.Contains("Mixing 40 extra digits", output, StringComparison.Ordinal);
        Assert.Contains($"Skipped {blank}", output, StringComparison.Ordinal);
        SavedModel saved = ModelFile.Load(tuned);
        Assert.Equal("digitnet", saved.Manifest.Model);
        Assert.Single(saved.Manifest.Training!.History);
        // Measured: 99.33%, as the shipped model before it.
        Assert.True(saved.Manifest.Metrics[ModelManifest.TestAccuracy] >= 0.993, $"MNIST test accuracy after fine-tuning {saved.Manifest.Metrics[ModelManifest.TestAccuracy]:P2}");
    }

    [Fact]
    public async Task FineTune_WithoutOut_NeverOverwritesTheModelItStartedFrom()
    {
        string models = _dir.File("models");
        Directory.CreateDirectory(models);
        string original = Path.Combine(models, "digitnet.digits");
        File.Copy(ShippedModel.Locate(), original);
        string corrections = _dir.File("corrections");
        TestPictures.WriteDrawnSeven(Path.Combine(corrections, "7", "seven.png"));
        string before = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(original)));
        string working = Environment.CurrentDirectory;

        CliResult result;
        Environment.CurrentDirectory = _dir.Path;
        try
        {
            result = await CliRunner.RunAsync("train", "--from", original, "--extra-data", corrections, "--limit", "500", "--epochs", "1", "--data", SharedMnist.Folder);
        }
        finally
        {
            Environment.CurrentDirectory = working;
        }

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(before, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(original))));
        Assert.True(File.Exists(Path.Combine(models, "digitnet-tuned.digits")));
    }

    [Fact]
    public async Task FineTune_WithResume_SaysTheyDoNotGoTogether()
    {
        CliResult result = await CliRunner.RunAsync("train", "--from", ShippedModel.Locate(), "--resume", ShippedModel.Locate(), "--out", _dir.File("x.digits"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--from", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }
}
