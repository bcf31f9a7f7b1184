using Digits.Core.Data;
using Digits.Core.Evaluation;
using Digits.Core.Models;
using Digits.Core.Tests.Support;
using Digits.Core.Training;
using Digits.Tests.Support;
using static TorchSharp.torch;

namespace Digits.Core.Tests.Data;

/// <summary>Image folders: coloured shapes written as PNG and JPEG, read back, and learnt.</summary>
[Collection(TorchTests.Name)]
public sealed class ImageFolderTests : IDisposable
{
    private const int Size = 32;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Shapes(string name, int perClass, int seed)
    {
        string folder = _dir.File(name);
        ShapesFolder.Write(folder, perClass, Size, seed);
        return folder;
    }

    [Fact]
    public void Load_PngAndJpegInClassFolders_ReadsEveryPictureWithItsClass()
    {
        string folder = Shapes("shapes", 10, seed: 1);

        using ImageFolder colour = ImageFolder.Load(folder, 24, 3);
        using ImageFolder grey = ImageFolder.Load(folder, 16, 1);

        Assert.Equal(ShapesFolder.Classes, colour.Classes);
        Assert.Equal([30, 3, 24, 24], colour.Data.Images.shape);
        Assert.Equal([30, 1, 16, 16], grey.Data.Images.shape);
        Assert.Equal(Enumerable.Range(0, 3).SelectMany(c => Enumerable.Repeat((long)c, 10)), colour.Data.Labels.data<long>().ToArray());
        Assert.InRange(colour.Data.Images.min().ToSingle(), 0f, 1f);
        Assert.InRange(colour.Data.Images.max().ToSingle(), 0.5f, 1f);
        Assert.Empty(colour.Skipped);
    }

    [Fact]
    public void Load_BrokenFilesMixedIn_SkipsAndListsEachOnce_AndKeepsTheRest()
    {
        string folder = Shapes("shapes", 10, seed: 2);
        string text = Path.Combine(folder, "circle", "notes.png");
        File.WriteAllText(text, "not a picture");
        string empty = Path.Combine(folder, "square", "empty.jpg");
        File.WriteAllBytes(empty, []);
        byte[] jpeg = File.ReadAllBytes(Path.Combine(folder, "triangle", "0001.jpg"));
        string truncated = Path.Combine(folder, "triangle", "cut.jpg");
        File.WriteAllBytes(truncated, jpeg[..(jpeg.Length / 3)]);

        using ImageFolder data = ImageFolder.Load(folder, Size, 3);

        Assert.Equal(30, data.Data.Count);
        Assert.Equal(new[] { text, empty, truncated }.Order(StringComparer.Ordinal), data.Skipped.Select(s => s.Path));
        Assert.All(data.Skipped, s => Assert.False(string.IsNullOrWhiteSpace(s.Reason)));
    }

    [Fact]
    public void Load_OneClassFolder_SaysAnImageFolderNeedsTwo()
    {
        Directory.CreateDirectory(_dir.File("only/cats"));

        var error = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(_dir.File("only"), Size, 3));

        Assert.Contains("at least two", error.Message);
    }

    [Fact]
    public void Load_ValidationWithOtherClasses_SaysWhichWereExpected()
    {
        string folder = Shapes("shapes", 2, seed: 3);

        var error = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(folder, Size, 3, ["cat", "dog"]));

        Assert.Contains("[circle, square, triangle]", error.Message);
        Assert.Contains("[cat, dog]", error.Message);
    }

    [Fact]
    public void Train_ShapesBriefly_ReadsNinetyPercentOfHeldOutFiles()
    {
        using ImageFolder train = ImageFolder.Load(Shapes("train", 600, seed: 4), Size, 3);
        using ImageFolder heldOut = ImageFolder.Load(Shapes("held-out", 50, seed: 5), Size, 3, train.Classes);
        NetworkSpec spec = NetworkSpec.FromJson("""
            {
              "input": [3, 32, 32], "classes": 3,
              "layers": [
                {"type": "conv2d", "filters": 16, "kernel": 3},
                {"type": "batchnorm"},
                {"type": "relu"},
                {"type": "maxpool", "size": 2},
                {"type": "conv2d", "filters": 32, "kernel": 3},
                {"type": "batchnorm"},
                {"type": "relu"},
                {"type": "maxpool", "size": 2},
                {"type": "conv2d", "filters": 64, "kernel": 3},
                {"type": "batchnorm"},
                {"type": "relu"},
                {"type": "maxpool", "size": 2},
                {"type": "flatten"},
                {"type": "dense", "units": 64, "activation": "relu"},
                {"type": "dense", "units": 3}
              ]
            }
            """, "shapes");
        var definition = new ModelDefinition("shapes", "Shapes test net.", spec, Normalization: null, ModelDefinition.DefaultRecipe);
        using TrainingSession session = TrainingSession.Start(definition, new TrainingOptions { Epochs = 15, BatchSize = 32, LearningRate = 2e-3, Schedule = "onecycle", ValidationSplit = 0 }, CPU);

        Trainer.Fit(session, train.Data, null, [], TestContext.Current.CancellationToken);
        EvaluationResult result = Evaluator.Evaluate(session.Network, heldOut.Data, CPU);

        Assert.True(result.Accuracy >= 0.9, $"held-out accuracy {result.Accuracy:P1}");
    }
}
