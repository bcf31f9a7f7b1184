using Digits.Cli.Tests.Support;
using Digits.Core.Persistence;
using Digits.Tests.Support;

namespace Digits.Cli.Tests.Commands;

/// <summary><c>digits train --data-dir</c>: an image folder of coloured shapes, broken files mixed in.</summary>
public sealed class TrainFolderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Train_ShapesFolderWithTrainAndValidation_LearnsThem_ReportsBrokenFiles_AndEvaluatesAndPredictsWithClassNames()
    {
        string root = _dir.File("shapes");
        ShapesFolder.Write(Path.Combine(root, "train"), 500, 32, seed: 11);
        ShapesFolder.Write(Path.Combine(root, "validation"), 50, 32, seed: 12);
        string broken = Path.Combine(root, "train", "circle", "broken.png");
        File.WriteAllText(broken, "not a picture");
        string model = _dir.File("shapes.digits");
        // A layer list with batch norms; its input and classes are the folder's.
        string network = _dir.Write("shapes-net.json", """
            {"layers": [
              {"type": "conv2d", "filters": 16, "kernel": 3}, {"type": "batchnorm"}, {"type": "relu"}, {"type": "maxpool", "size": 2},
              {"type": "conv2d", "filters": 32, "kernel": 3}, {"type": "batchnorm"}, {"type": "relu"}, {"type": "maxpool", "size": 2},
              {"type": "conv2d", "filters": 64, "kernel": 3}, {"type": "batchnorm"}, {"type": "relu"}, {"type": "maxpool", "size": 2},
              {"type": "flatten"}, {"type": "dense", "units": 64, "activation": "relu"}, {"type": "dense", "units": 10}
            ]}
            """);

        CliResult result = await CliRunner.RunAsync(
            "train", "--data-dir", root, "--model", network, "--image-size", "32", "--channels", "3",
            "--epochs", "15", "--batch-size", "32", "--schedule", "onecycle", "--optimizer", "adam", "--lr", "0.002", "--out", model);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"Skipped {broken}", result.Output.ReplaceLineEndings(""), StringComparison.Ordinal);
        Assert.Contains("Validation accuracy", result.Output, StringComparison.Ordinal);
        SavedModel saved = ModelFile.Load(model);
        Assert.Equal([3, 32, 32], saved.Manifest.Network.Input);
        Assert.Equal(ShapesFolder.Classes, saved.Manifest.Network.ClassNames);
        Assert.Null(saved.Manifest.Normalization);
        double accuracy = saved.Manifest.Metrics[ModelManifest.ValidationAccuracy];
        Assert.True(accuracy >= 0.9, $"validation accuracy {accuracy:P1}");

        CliResult evaluated = await CliRunner.RunAsync("evaluate", model, "--data-dir", Path.Combine(root, "validation"));
        CliResult withoutFolder = await CliRunner.RunAsync("evaluate", model);

        Assert.True(evaluated.ExitCode == 0, evaluated.Error);
        Assert.Contains("150 images of", evaluated.Output, StringComparison.Ordinal);
        Assert.All(ShapesFolder.Classes, name => Assert.Contains($"{name} │", evaluated.Output, StringComparison.Ordinal));
        Assert.Equal(1, withoutFolder.ExitCode);
        Assert.Contains("--data-dir", Assert.Single(withoutFolder.ErrorLines), StringComparison.Ordinal);

        CliResult predicted = await CliRunner.RunAsync("predict", Path.Combine(root, "validation", "triangle"), broken, "--model", model, "--json");

        Assert.Equal(0, predicted.ExitCode);
        string[] answers = [.. predicted.Output.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries)];
        Assert.Equal(50, answers.Length);
        Assert.True(answers.Count(a => a.Contains("\"class\":\"triangle\"", StringComparison.Ordinal)) >= 45, predicted.Output);
        Assert.Contains(broken, Assert.Single(predicted.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_FolderWithDigitsAugmentation_SaysItIsForDigits()
    {
        string root = _dir.File("shapes");
        ShapesFolder.Write(root, 4, 16, seed: 13);

        CliResult result = await CliRunner.RunAsync("train", "--data-dir", root, "--augment", "digits", "--out", _dir.File("x.digits"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--augment photos or none", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }
}
