using System.Text.Json;
using Digits.Cli.Tests.Support;
using Digits.Core.Data;
using Digits.Core.Preprocessing;
using Digits.Tests.Support;
using SkiaSharp;

namespace Digits.Cli.Tests.Commands;

public sealed class PredictCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A drawn 7 on a 280x280 canvas, saved as PNG.</summary>
    private string DrawnSeven(string name) => TestPictures.WriteDrawnSeven(_dir.File(name));

    [Fact]
    public async Task Predict_OneDrawing_PrintsTheDigitConfidenceAndTopThree()
    {
        string seven = DrawnSeven("seven.png");

        CliResult result = await CliRunner.RunAsync("predict", seven);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("seven.png: 7 (", result.Output);
        Assert.Contains("top 3: 7 ", result.Output);
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task Predict_TheReadmesSamples_AreReadRightByTheShippedModel()
    {
        // The first command of the README, on the drawings that come with the repository.
        CliResult result = await CliRunner.RunAsync("predict", Path.Combine(RepositoryFolder.Root, "samples"), "--json");

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Output.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        foreach (string line in lines)
        {
            using JsonDocument json = JsonDocument.Parse(line);
            string name = Path.GetFileNameWithoutExtension(json.RootElement.GetProperty("file").GetString())!;
            int digit = Array.IndexOf(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"], name);
            Assert.Equal(digit, json.RootElement.GetProperty("digit").GetInt32());
            Assert.False(json.RootElement.GetProperty("notSure").GetBoolean());
        }
    }

    [Fact]
    public async Task Predict_ATapOfThePen_AnswersQuestionMarkWithoutAGuess()
    {
        string tap = _dir.File("tap.png");
        File.WriteAllBytes(tap, TestPictures.Encode(StrokeRenderer.Render([[new SKPoint(140, 140)]], 280, 280, PageCanvas.PenWidth), SKEncodedImageFormat.Png));

        CliResult result = await CliRunner.RunAsync("predict", tap);
        CliResult json = await CliRunner.RunAsync("predict", tap, "--json");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("tap.png: ? The ink is a dot or a filled blob", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("top 3", result.Output, StringComparison.Ordinal);
        using JsonDocument answer = JsonDocument.Parse(json.Output);
        Assert.True(answer.RootElement.GetProperty("noDigit").GetBoolean());
        Assert.True(answer.RootElement.GetProperty("notSure").GetBoolean());
    }

    [Fact]
    public async Task Predict_Json_WritesOneObjectPerFile()
    {
        DrawnSeven("photos/a.png");
        DrawnSeven("photos/b.png");

        CliResult result = await CliRunner.RunAsync("predict", _dir.File("photos"), "--json");

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Output.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        foreach (string line in lines)
        {
            using JsonDocument json = JsonDocument.Parse(line);
            Assert.Equal(7, json.RootElement.GetProperty("digit").GetInt32());
            Assert.Equal(10, json.RootElement.GetProperty("probabilities").GetArrayLength());
            Assert.False(json.RootElement.GetProperty("notSure").GetBoolean());
            Assert.False(json.RootElement.GetProperty("noDigit").GetBoolean());
        }
    }

    [Fact]
    public async Task Predict_Show_WritesTheEnlargedImageTheModelSaw()
    {
        string seven = DrawnSeven("seven.png");
        string shown = _dir.File("seen/seven-28.png");

        CliResult result = await CliRunner.RunAsync("predict", seven, "--show", shown);

        Assert.Equal(0, result.ExitCode);
        GreyImage image = ImageDecoder.DecodeFile(shown);
        Assert.Equal((280, 280), (image.Width, image.Height));
        // White ink on black, as MNIST: the corners are black and some ink is white.
        Assert.Equal(0f, image.Pixels[0]);
        Assert.True(image.Pixels.Max() > 0.9f);
    }

    [Fact]
    public async Task Predict_FolderWithBadFiles_NamesEachProblemAndStillPredictsTheRest()
    {
        DrawnSeven("mixed/good.png");
        File.WriteAllText(_dir.File("mixed/notes.png"), "not a picture at all");
        File.WriteAllBytes(_dir.File("mixed/empty.png"), []);
        byte[] png = File.ReadAllBytes(_dir.File("mixed/good.png"));
        File.WriteAllBytes(_dir.File("mixed/truncated.png"), png[..(png.Length / 2)]);
        File.WriteAllBytes(_dir.File("mixed/tiny.png"), TestPictures.Encode(new GreyImage(1, 1, [1f]), SKEncodedImageFormat.Png));
        File.WriteAllBytes(_dir.File("mixed/huge.png"), TestPictures.PngClaiming(20000, 20000));

        CliResult result = await CliRunner.RunAsync("predict", _dir.File("mixed"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("good.png: 7 (", result.Output);
        Assert.Equal(5, result.ErrorLines.Count);
        Assert.Contains(result.ErrorLines, l => l.Contains("notes.png") && l.Contains("Not an image"));
        Assert.Contains(result.ErrorLines, l => l.Contains("empty.png") && l.Contains("empty"));
        Assert.Contains(result.ErrorLines, l => l.Contains("truncated.png") && l.Contains("truncated"));
        Assert.Contains(result.ErrorLines, l => l.Contains("tiny.png") && l.Contains("too small"));
        Assert.Contains(result.ErrorLines, l => l.Contains("huge.png") && l.Contains("megapixels"));
    }

    [Fact]
    public async Task Predict_NothingReadable_ExitsOne()
    {
        File.WriteAllText(_dir.File("notes.png"), "not a picture");

        CliResult result = await CliRunner.RunAsync("predict", _dir.File("notes.png"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(result.ErrorLines, l => l.Contains("nothing could be predicted"));
    }

    [Fact]
    public async Task Predict_FolderWithNoImages_SaysSoAndExitsOne()
    {
        Directory.CreateDirectory(_dir.File("empty-folder"));
        _dir.Write("empty-folder/readme.txt", "no pictures here");

        CliResult result = await CliRunner.RunAsync("predict", _dir.File("empty-folder"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(result.ErrorLines, l => l.Contains("empty-folder") && l.Contains("holds no images"));
    }

    [Fact]
    public async Task Predict_MissingPathBesideAGoodFile_ReportsItAndPredictsTheFile()
    {
        string seven = DrawnSeven("seven.png");

        CliResult result = await CliRunner.RunAsync("predict", _dir.File("no-such.png"), seven);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("no-such.png: no such file or folder", Assert.Single(result.ErrorLines));
        Assert.Contains("seven.png: 7 (", result.Output);
    }

    [Fact]
    public async Task Predict_LabelledFolder_ReportsAccuracyAndConfusion()
    {
        using MnistDataset test = MnistDataset.Load(SharedMnist.Folder, MnistSplit.Test, 100);
        float[] pixels = test.Images.contiguous().data<float>().ToArray();
        long[] labels = test.Labels.data<long>().ToArray();
        for (int i = 0; i < 100; i++)
        {
            string folder = _dir.File(Path.Combine("labelled", labels[i].ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Directory.CreateDirectory(folder);
            GreyImage digit = TestPictures.FromMnist(pixels.AsSpan(i * 784, 784));
            File.WriteAllBytes(Path.Combine(folder, $"{i}.png"), TestPictures.Encode(new GreyImage(28, 28, [.. digit.Pixels.Select(v => 1 - v)]), SKEncodedImageFormat.Png));
        }

        CliResult result = await CliRunner.RunAsync("predict", _dir.File("labelled"), "--json");

        Assert.Equal(0, result.ExitCode);
        string last = result.Output.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        using JsonDocument summary = JsonDocument.Parse(last);
        JsonElement figures = summary.RootElement.GetProperty("summary");
        Assert.Equal(100, figures.GetProperty("images").GetInt32());
        // The shipped model gets 99.33% of the test set: one mistake in 100 at most.
        Assert.True(figures.GetProperty("accuracy").GetDouble() >= 0.99);
        Assert.Equal(10, figures.GetProperty("confusion").GetArrayLength());
    }

    [Fact]
    public async Task Predict_LabelledFolderBesideASingleFile_StillPrintsTheFile()
    {
        DrawnSeven("labelled/7/a.png");
        string single = DrawnSeven("single.png");

        CliResult result = await CliRunner.RunAsync("predict", _dir.File("labelled"), single);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("single.png: 7 (", result.Output);
        Assert.DoesNotContain("a.png: 7 (", result.Output);
        Assert.Contains("Accuracy", result.Output);
    }

    [Fact]
    public async Task Predict_ShowWithTwoPictures_RefusesBeforeReading()
    {
        DrawnSeven("two/a.png");
        DrawnSeven("two/b.png");

        CliResult result = await CliRunner.RunAsync("predict", _dir.File("two"), "--show", _dir.File("seen.png"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--show writes the image of one picture; 2 were given", Assert.Single(result.ErrorLines));
        Assert.False(File.Exists(_dir.File("seen.png")));
    }

    [Fact]
    public async Task Predict_UnknownModelFile_SaysSo()
    {
        string seven = DrawnSeven("seven.png");

        CliResult result = await CliRunner.RunAsync("predict", seven, "--model", _dir.File("missing.digits"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("missing.digits", Assert.Single(result.ErrorLines));
    }
}
