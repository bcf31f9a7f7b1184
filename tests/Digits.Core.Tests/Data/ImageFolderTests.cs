using Digits.Core.Data;
using Digits.Core.Evaluation;
using Digits.Core.Inference;
using Digits.Core.Models;
using Digits.Core.Tests.Support;
using Digits.Core.Training;
using Digits.Tests.Support;
using SkiaSharp;
using static TorchSharp.torch;

namespace Digits.Core.Tests.Data;

/// <summary>Image folders: coloured shapes written as PNG and JPEG, read back, and learnt.</summary>
[Collection(TorchTests.Name)]
public sealed class ImageFolderTests : IDisposable
{
    private const int Size = 32;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Shapes(string name, int perClass, int seed, int? classes = null)
    {
        string folder = _dir.File(name);
        ShapesFolder.Write(folder, perClass, Size, seed, classes);
        return folder;
    }

    [Fact]
    public void Load_PngAndJpegInClassFolders_ReadsEveryPictureWithItsClass()
    {
        string folder = Shapes("shapes", 10, seed: 1);

        using ImageFolder colour = ImageFolder.Load(folder, new PictureFormat(24, 3));
        using ImageFolder grey = ImageFolder.Load(folder, new PictureFormat(16, 1));

        Assert.Equal(ShapesFolder.Classes, colour.Classes);
        Assert.Equal([30, 3, 24, 24], colour.Data.Images.shape);
        Assert.Equal([30, 1, 16, 16], grey.Data.Images.shape);
        Assert.Equal(Enumerable.Range(0, 3).SelectMany(c => Enumerable.Repeat((long)c, 10)), colour.Data.Labels.data<long>().ToArray());
        Assert.InRange(colour.Data.Images.min().ToSingle(), 0f, 1f);
        Assert.InRange(colour.Data.Images.max().ToSingle(), 0.5f, 1f);
        Assert.Empty(colour.Skipped);
    }

    [Fact]
    public void Load_WidePictureCropped_KeepsItsCentredSquare_WhereSquashingKeepsAllOfIt()
    {
        // 60x20: red, green and blue thirds; the centred square is the green one.
        string folder = _dir.File("wide");
        using var bitmap = new SKBitmap(60, 20);
        using (var canvas = new SKCanvas(bitmap))
        {
            foreach ((int third, SKColor colour) in new[] { (0, SKColors.Red), (1, SKColors.Lime), (2, SKColors.Blue) })
            {
                using var paint = new SKPaint { Color = colour };
                canvas.DrawRect(third * 20, 0, 20, 20, paint);
            }
        }
        using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        foreach (string name in new[] { "a", "b" })
        {
            Directory.CreateDirectory(Path.Combine(folder, name));
            File.WriteAllBytes(Path.Combine(folder, name, "thirds.png"), png.ToArray());
        }

        // As a model trained with cropping reads pictures, in evaluation and prediction.
        var network = new NetworkSpec([new FlattenLayer(), new DenseLayer(2)]) { Input = [3, 8, 8], Classes = 2, ClassNames = ["a", "b"], CropToSquare = true };

        using ImageFolder cropped = ImageFolder.Load(folder, PictureReader.FormatOf(network));
        (float[] predicted, _, _) = ImageFolder.ReadPictures([Path.Combine(folder, "a", "thirds.png")], PictureReader.FormatOf(network));
        using ImageFolder squashed = ImageFolder.Load(folder, new PictureFormat(9, 3));

        Tensor centre = cropped.Data.Images[0];
        Assert.True(centre[1].min().ToSingle() > 0.9f && centre[0].max().ToSingle() < 0.1f && centre[2].max().ToSingle() < 0.1f, "all green");
        Assert.Equal(centre.data<float>().ToArray(), predicted);
        Assert.Throws<InvalidDataException>(() => PictureReader.FormatOf(network with { ClassNames = null }));
        Tensor whole = squashed.Data.Images[0];
        Assert.True(whole[0, .., 0].min().ToSingle() > 0.9f, "red on the left");
        Assert.True(whole[1, .., 4].min().ToSingle() > 0.9f, "green in the middle");
        Assert.True(whole[2, .., 8].min().ToSingle() > 0.9f, "blue on the right");
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

        using ImageFolder data = ImageFolder.Load(folder, new PictureFormat(Size, 3));

        Assert.Equal(30, data.Data.Count);
        Assert.Equal(new[] { text, empty, truncated }.Order(StringComparer.Ordinal), data.Skipped.Select(s => s.Path));
        Assert.All(data.Skipped, s => Assert.False(string.IsNullOrWhiteSpace(s.Reason)));
    }

    [Fact]
    public void Load_OneClassFolder_SaysAnImageFolderNeedsTwo()
    {
        Directory.CreateDirectory(_dir.File("only/cats"));

        var error = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(_dir.File("only"), new PictureFormat(Size, 3)));

        Assert.Contains("at least two", error.Message);
    }

    [Fact]
    public void Load_ValidationWithOtherClasses_SaysWhichWereExpected()
    {
        string folder = Shapes("shapes", 2, seed: 3);

        var error = Assert.Throws<InvalidDataException>(() => ImageFolder.Load(folder, new PictureFormat(Size, 3), ["cat", "dog"]));

        Assert.Contains("[circle, square, triangle]", error.Message);
        Assert.Contains("[cat, dog]", error.Message);
    }

    [Theory]
    [InlineData(3, "softmax")]
    [InlineData(2, "sigmoid")]
    public void Train_ShapesBriefly_ReadsNinetyFivePercentOfHeldOutFiles(int classes, string output)
    {
        using ImageFolder train = ImageFolder.Load(Shapes("train", 600, seed: 4, classes), new PictureFormat(Size, 3));
        using ImageFolder heldOut = ImageFolder.Load(Shapes("held-out", 50, seed: 5, classes), new PictureFormat(Size, 3), train.Classes);
        // Two classes with a sigmoid end in one unit: the sigmoid's logit.
        int units = output == NetworkSpec.Sigmoid ? 1 : classes;
        NetworkSpec spec = NetworkSpec.FromJson(ShapesFolder.NetworkJson(units, input: [3, 32, 32], classes, output), "shapes");
        var definition = new ModelDefinition("shapes", "Shapes test net.", spec, Normalization: null, ModelDefinition.DefaultRecipe);
        using TrainingSession session = TrainingSession.Start(definition, new TrainingOptions { Epochs = 15, BatchSize = 32, LearningRate = 2e-3, Schedule = "onecycle", ValidationSplit = 0 }, CPU);

        Trainer.Fit(session, train.Data, null, [], TestContext.Current.CancellationToken);
        EvaluationResult result = Evaluator.Evaluate(session.Network, heldOut.Data, CPU);

        // Measured: 98% for both.
        Assert.True(result.Accuracy >= 0.95, $"held-out accuracy {result.Accuracy:P1}");
        Assert.Equal(classes, result.Confusion.Classes);
    }

    [Fact]
    public void ReadPicture_PhotoWithExifOrientation_IsTurnedUprightFirst()
    {
        // Regression (one-engine issue): folder pictures ignored EXIF orientation, so a phone photo was read on its side.
        using var bitmap = new SKBitmap(new SKImageInfo(40, 20, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Blue);
            canvas.DrawRect(0, 0, 20, 20, new SKPaint { Color = SKColors.Red });
        }
        using SKData encoded = bitmap.Encode(SKEncodedImageFormat.Jpeg, 95);
        byte[] stored = encoded.ToArray();
        var format = new PictureFormat(8, 3);
        var upright = new float[3 * 8 * 8];
        var turned = new float[3 * 8 * 8];

        ImageFolder.ReadPicture(stored, format, upright);
        // 6: the stored picture must be turned a quarter clockwise to be upright; its left (red) half goes on top.
        ImageFolder.ReadPicture(TestPictures.WithExifOrientation(stored, 6), format, turned);

        static float Red(float[] values, int x, int y) => values[(y * 8) + x];
        Assert.True(Red(upright, 1, 4) > 0.8f && Red(upright, 6, 4) < 0.2f, "as stored: red on the left");
        Assert.True(Red(turned, 4, 1) > 0.8f && Red(turned, 4, 6) < 0.2f, "upright: red on top");
    }
}
