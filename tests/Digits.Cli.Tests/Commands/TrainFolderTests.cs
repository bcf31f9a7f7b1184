using System.Text.Json;
using Digits.Cli.Tests.Support;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Digits.Tests.Support;

namespace Digits.Cli.Tests.Commands;

/// <summary><c>digits train --data-dir</c>: an image folder of coloured shapes, broken files mixed in.</summary>
[Collection(TorchTests.Name)]
public sealed class TrainFolderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A layer list with batch norms, written to a file; its input and classes are the folder's.</summary>
    private string ShapesNetwork() => _dir.Write("shapes-net.json", ShapesFolder.NetworkJson(units: 10));

    [Fact]
    public async Task Train_ShapesFolderWithTrainAndValidation_LearnsThem_ReportsBrokenFiles_AndEvaluatesAndPredictsWithClassNames()
    {
        string root = _dir.File("shapes");
        ShapesFolder.Write(Path.Combine(root, "train"), 500, 32, seed: 11);
        ShapesFolder.Write(Path.Combine(root, "validation"), 50, 32, seed: 12);
        string broken = Path.Combine(root, "train", "circle", "broken.png");
        File.WriteAllText(broken, "not a picture");
        string model = _dir.File("shapes.digits");

        CliResult result = await CliRunner.RunAsync(
            "train", "--data-dir", root, "--model", ShapesNetwork(), "--image-size", "32", "--channels", "3",
            "--epochs", "15", "--batch-size", "32", "--schedule", "onecycle", "--optimizer", "adam", "--lr", "0.002", "--out", model);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains($"Skipped {broken}", result.Output.ReplaceLineEndings(""), StringComparison.Ordinal);
        Assert.Contains("Validation accuracy", result.Output, StringComparison.Ordinal);
        SavedModel saved = ModelFile.Load(model);
        Assert.Equal([3, 32, 32], saved.Manifest.Network.Input);
        Assert.Equal(ShapesFolder.Classes, saved.Manifest.Network.ClassNames);
        Assert.Null(saved.Manifest.Normalization);
        double accuracy = saved.Manifest.Metrics[ModelManifest.ValidationAccuracy];
        // Measured: 98.7% of 150.
        Assert.True(accuracy >= 0.95, $"validation accuracy {accuracy:P1}");

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
        // Measured: 49 of 50.
        Assert.True(answers.Count(a => a.Contains("\"class\":\"triangle\"", StringComparison.Ordinal)) >= 47, predicted.Output);
        Assert.Contains(broken, Assert.Single(predicted.ErrorLines), StringComparison.Ordinal);

        // A folder of sub-folders named after the model's classes is scored, as digit folders 0-9 are.
        CliResult scored = await CliRunner.RunAsync("predict", Path.Combine(root, "validation"), "--model", model, "--json");
        CliResult table = await CliRunner.RunAsync("predict", Path.Combine(root, "validation"), "--model", model);

        Assert.True(scored.ExitCode == 0, scored.Error);
        string[] lines = [.. scored.Output.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries)];
        Assert.Equal(151, lines.Length);
        using JsonDocument summary = JsonDocument.Parse(lines[^1]);
        JsonElement figures = summary.RootElement.GetProperty("summary");
        Assert.Equal(150, figures.GetProperty("images").GetInt32());
        Assert.Equal(accuracy, figures.GetProperty("accuracy").GetDouble(), 6);
        Assert.Equal(3, figures.GetProperty("confusion").GetArrayLength());
        Assert.Contains("Accuracy", table.Output, StringComparison.Ordinal);
        Assert.All(ShapesFolder.Classes, name => Assert.Contains($"{name} │", table.Output, StringComparison.Ordinal));

        // The report and the plots measure it on a folder of its classes, named as they are.
        string report = _dir.File("shapes.html");
        string samples = _dir.File("samples.png");
        CliResult reported = await CliRunner.RunAsync("report", model, "--data-dir", Path.Combine(root, "validation"), "-o", report);
        CliResult plotted = await CliRunner.RunAsync("plot", "samples", model, "--data-dir", Path.Combine(root, "validation"), "-o", samples, "--count", "9");
        CliResult withoutData = await CliRunner.RunAsync("report", model, "-o", _dir.File("none.html"));

        Assert.True(reported.ExitCode == 0, reported.Error);
        string html = File.ReadAllText(report);
        Assert.All(ShapesFolder.Classes, name => Assert.Contains(name, html, StringComparison.Ordinal));
        Assert.True(plotted.ExitCode == 0, plotted.Error);
        Assert.Equal(FigureSize, PictureSize(samples));
        Assert.Equal(1, withoutData.ExitCode);
        Assert.Contains("--data-dir", Assert.Single(withoutData.ErrorLines), StringComparison.Ordinal);
    }

    private static (int, int) FigureSize => (Digits.Plots.FigureFile.DefaultWidth, Digits.Plots.FigureFile.DefaultHeight);

    private static (int, int) PictureSize(string path)
    {
        Core.Preprocessing.GreyImage image = Core.Preprocessing.ImageDecoder.DecodeFile(path);
        return (image.Width, image.Height);
    }

    [Theory]
    [InlineData("--augment", "digits", "Use --augment photos, none, or options without styles")]
    [InlineData("--output-activation", "sigmoid", "has 3 (circle, square, triangle); use --output-activation softmax")]
    public async Task Train_ThreeShapesWithAChoiceThatDoesNotFit_SaysWhy(string option, string value, string message)
    {
        string root = _dir.File("shapes");
        ShapesFolder.Write(root, 4, 16, seed: 13);

        CliResult result = await CliRunner.RunAsync("train", "--data-dir", root, option, value, "--out", _dir.File("x.digits"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Train_TwoClassesWithASigmoidOutput_LearnsThem_KeepsAugmentationOptions_AndPredictsBothClasses()
    {
        string root = _dir.File("two");
        ShapesFolder.Write(Path.Combine(root, "train"), 300, 32, seed: 31, classes: 2);
        ShapesFolder.Write(Path.Combine(root, "validation"), 50, 32, seed: 32, classes: 2);
        string model = _dir.File("two.digits");

        CliResult result = await CliRunner.RunAsync(
            "train", "--data-dir", root, "--model", ShapesNetwork(), "--image-size", "32", "--output-activation", "sigmoid",
            "--augment", "none,flip,shift=0.05", "--epochs", "10", "--batch-size", "32", "--schedule", "onecycle", "--optimizer", "adam", "--lr", "0.002", "--out", model);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("augmentation shift=0.05,flip", result.Output, StringComparison.Ordinal);
        SavedModel saved = ModelFile.Load(model);
        Assert.Equal(NetworkSpec.Sigmoid, saved.Manifest.Network.Output);
        Assert.Equal(1, Assert.IsType<DenseLayer>(saved.Manifest.Network.Layers[^1]).Units);
        Assert.Equal(["circle", "square"], saved.Manifest.Network.ClassNames);
        Assert.Equal("shift=0.05,flip", saved.Manifest.Recipe.Augment);
        double accuracy = saved.Manifest.Metrics[ModelManifest.ValidationAccuracy];
        // Measured: 99% of 100.
        Assert.True(accuracy >= 0.95, $"validation accuracy {accuracy:P1}");

        CliResult predicted = await CliRunner.RunAsync("predict", Path.Combine(root, "validation", "square"), "--model", model, "--json");

        Assert.True(predicted.ExitCode == 0, predicted.Error);
        JsonElement[] answers = [.. predicted.Output.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement)];
        Assert.Equal(50, answers.Length);
        Assert.All(answers, a => Assert.Equal(1.0, a.GetProperty("probabilities").GetProperty("circle").GetDouble() + a.GetProperty("probabilities").GetProperty("square").GetDouble(), 4));
        // Measured: 49 of 50.
        Assert.True(answers.Count(a => a.GetProperty("class").GetString() == "square") >= 47, predicted.Output);
    }

    [Fact]
    public async Task Train_TwoClassesOnConvNet150_TakesItsSizeOutputAndAugmentation_AndAResumeKeepsThemAndItsClasses()
    {
        string root = _dir.File("two");
        ShapesFolder.Write(root, 12, 100, seed: 33, classes: 2);
        string model = _dir.File("pets.digits");

        CliResult result = await CliRunner.RunAsync("train", "--data-dir", root, "--model", "convnet-150", "--crop", "--epochs", "1", "--val-split", "0.25", "--out", model);
        CliResult resumed = await CliRunner.RunAsync("train", "--data-dir", root, "--resume", model, "--epochs", "2", "--val-split", "0.25");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        ModelManifest manifest = ModelFile.Load(model).Manifest;
        Assert.Equal(2, manifest.Training!.History.Count);
        Assert.Equal([3, 150, 150], manifest.Network.Input);
        Assert.Equal(NetworkSpec.Sigmoid, manifest.Network.Output);
        Assert.Equal(1, Assert.IsType<DenseLayer>(manifest.Network.Layers[^1]).Units);
        Assert.True(manifest.Network.CropToSquare);
        Assert.Equal("photos", manifest.Recipe.Augment);

        string others = _dir.File("others");
        Directory.Move(Path.Combine(root, "square"), Path.Combine(root, "squares"));
        CliResult otherClasses = await CliRunner.RunAsync("train", "--data-dir", root, "--resume", model, "--epochs", "3");
        CliResult otherSize = await CliRunner.RunAsync("train", "--data-dir", root, "--resume", model, "--epochs", "3", "--image-size", "64");
        CliResult withoutFolder = await CliRunner.RunAsync("train", "--model", "convnet-150", "--data", SharedMnist.Folder, "--out", others);

        Assert.Equal(1, otherClasses.ExitCode);
        Assert.Equal(1, otherSize.ExitCode);
        Assert.Equal(1, withoutFolder.ExitCode);
        Assert.Contains("has classes [circle, squares] but [circle, square] were expected", Assert.Single(otherClasses.ErrorLines), StringComparison.Ordinal);
        Assert.Contains("keeps its own image-size (150)", Assert.Single(otherSize.ErrorLines), StringComparison.Ordinal);
        Assert.Contains("convnet-150 takes 3x150x150 pictures of 2 classes, not MNIST's digits; train it on an image folder with --data-dir", Assert.Single(withoutFolder.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(2, ModelFile.Load(model).Manifest.Training!.History.Count);
    }
}
