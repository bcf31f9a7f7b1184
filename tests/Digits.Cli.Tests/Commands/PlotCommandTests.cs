using Digits.Cli.Tests.Support;
using Digits.Core.Inference;
using Digits.Core.Models;
using Digits.Core.Preprocessing;
using Digits.Plots;
using Digits.Tests.Support;
using SkiaSharp;

namespace Digits.Cli.Tests.Commands;

/// <summary>Each plot of the shipped model is a real picture of the size asked for, with something drawn on it.</summary>
[Collection(TorchTests.Name)]
public sealed class PlotCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Shipped => ShippedModel.Locate();

    private string DrawnSeven() => TestPictures.WriteDrawnSeven(_dir.File("seven.png"));

    [Theory]
    [InlineData("history", 900, 500)]
    [InlineData("samples", 640, 480)]
    [InlineData("confusion", 700, 700)]
    [InlineData("calibration", 800, 600)]
    [InlineData("filters", 600, 400)]
    [InlineData("activations", 1000, 800)]
    public async Task Plot_Png_WritesAnImageOfTheRequestedSizeWithSomethingOnIt(string kind, int width, int height)
    {
        string path = _dir.File($"{kind}.png");
        string[] extra = kind switch
        {
            "history" or "filters" => [],
            "activations" => [DrawnSeven()],
            _ => ["--data", SharedMnist.Folder],
        };

        CliResult result = await CliRunner.RunAsync(["plot", kind, Shipped, .. extra, "-o", path, "--width", $"{width}", "--height", $"{height}"]);

        Assert.Equal(0, result.ExitCode);
        GreyImage image = ImageDecoder.DecodeFile(path);
        Assert.Equal((width, height), (image.Width, image.Height));
        // Not blank: a real share of the pixels differ from the background.
        float background = image.Pixels[0];
        double drawn = image.Pixels.Count(v => Math.Abs(v - background) > 0.1f) / (double)image.Pixels.Length;
        Assert.InRange(drawn, 0.01, 0.95);
    }

    [Fact]
    public void HistoryChart_ConstantRate_StartsItsAxisAtZero_WholeEpochTicks_AccuracyUpTo100()
    {
        EpochMetrics[] history = [.. Enumerable.Range(1, 3).Select(e => new EpochMetrics(e, 0.5 / e, 0.9 + (0.03 * e), 0.4 / e, 0.95 + (0.016 * e), 0.01, 1, 1000))];

        ScottPlot.Plot[] plots = HistoryChart.Create(history, "lenet");
        foreach (ScottPlot.Plot plot in plots)
        {
            plot.GetImage(900, 500).Dispose();
        }

        // Not -1.1 to 1.1 around a flat line.
        Assert.Equal(0, plots[0].Axes.Right.Min, 9);
        Assert.Equal(0.011, plots[0].Axes.Right.Max, 9);
        Assert.All(plots.SelectMany(p => p.Axes.Bottom.TickGenerator.Ticks.Where(t => t.IsMajor)), t => Assert.Equal(Math.Round(t.Position), t.Position));
        Assert.Equal(100, plots[1].Axes.GetLimits().Top, 9);
    }

    [Theory]
    [InlineData("mine.png", "plot", "history")]
    [InlineData("mine.html", "report")]
    public async Task PlotOrReport_OverAnExistingFile_RefusesUnlessForced(string name, params string[] command)
    {
        string path = _dir.Write(name, "someone's work");

        CliResult refused = await CliRunner.RunAsync([.. command, Shipped, "-o", path, "--data", SharedMnist.Folder]);
        CliResult forced = await CliRunner.RunAsync([.. command, Shipped, "-o", path, "--data", SharedMnist.Folder, "--force"]);

        Assert.Equal(1, refused.ExitCode);
        Assert.Equal(
            $"error: '{path}' already exists, and this command would replace it; write elsewhere with --output FILE, or give --force to replace it.",
            Assert.Single(refused.ErrorLines));
        Assert.True(forced.ExitCode == 0, forced.Error);
        Assert.NotEqual("someone's work", File.ReadAllText(path));
    }

    [Fact]
    public async Task Plot_Svg_WritesAnSvgDocument()
    {
        string path = _dir.File("curves.svg");

        CliResult result = await CliRunner.RunAsync("plot", "history", Shipped, "-o", path);

        Assert.Equal(0, result.ExitCode);
        string svg = File.ReadAllText(path);
        Assert.Contains("<svg", svg);
        Assert.Contains("</svg>", svg);
    }

    [Fact]
    public async Task PlotSamples_Errors_ShowsOnlyMistakes_MostConfidentFirst_WithTheirConfidence()
    {
        string path = _dir.File("worst.svg");

        CliResult result = await CliRunner.RunAsync("plot", "samples", Shipped, "--errors", "--count", "12", "-o", path, "--data", SharedMnist.Folder);

        Assert.Equal(0, result.ExitCode);
        // The titles are text in the SVG: each one names a different actual and predicted digit.
        System.Text.RegularExpressions.Match[] titles = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(path), @"Actual: (\d) / Pred: (\d) \((\d+)%\)").ToArray();
        Assert.Equal(12, titles.Length);
        Assert.All(titles, t => Assert.NotEqual(t.Groups[1].Value, t.Groups[2].Value));
        int[] confidences = [.. titles.Select(t => int.Parse(t.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture))];
        Assert.Equal(confidences.OrderDescending(), confidences);
    }

    [Fact]
    public async Task PlotAugment_DrawsTheOriginalAndFifteenDifferentVariants_OtherOnesForAnotherSeed()
    {
        // (That a seed gives the same variants is tested in Core, away from other tests drawing from the global generator.)
        string seven = DrawnSeven();
        string first = _dir.File("a.png");
        string other = _dir.File("c.png");

        CliResult result = await CliRunner.RunAsync("plot", "augment", seven, "--label", "7", "-o", first, "--width", "800", "--height", "800");
        await CliRunner.RunAsync("plot", "augment", seven, "--label", "7", "--seed", "2", "-o", other, "--width", "800", "--height", "800");

        Assert.Equal(0, result.ExitCode);
        GreyImage image = ImageDecoder.DecodeFile(first);
        Assert.Equal((800, 800), (image.Width, image.Height));
        Assert.NotEqual(File.ReadAllBytes(first), File.ReadAllBytes(other));
        // The original and fifteen variants in a 4x4 grid: the centres of the cells differ from one another (no two alike).
        float[] centres = [.. Enumerable.Range(0, 16).Select(i => image.Pixels.Skip(((((i / 4) * 200) + 110) * 800) + ((i % 4) * 200)).Take(200).Sum())];
        Assert.Equal(16, centres.Distinct().Count());
    }

    [Fact]
    public async Task PlotAugment_PhotoWithFlip_KeepsColoursAndMirrorsSomeVariants()
    {
        // Red on the left, blue on the right: a mirrored variant has blue on the left.
        string photo = _dir.File("halves.png");
        using (var bitmap = new SKBitmap(40, 40))
        {
            using (var canvas = new SKCanvas(bitmap))
            using (var red = new SKPaint { Color = SKColors.Red })
            using (var blue = new SKPaint { Color = SKColors.Blue })
            {
                canvas.DrawRect(0, 0, 20, 40, red);
                canvas.DrawRect(20, 0, 20, 40, blue);
            }
            using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(photo, png.ToArray());
        }
        string grid = _dir.File("flips.png");

        CliResult result = await CliRunner.RunAsync("plot", "augment", photo, "--image-size", "32", "--augment", "flip", "-o", grid, "--width", "800", "--height", "800");

        Assert.True(result.ExitCode == 0, result.Error);
        using SKBitmap drawn = SKBitmap.Decode(grid);
        // The 4x4 cells are 200 px wide; each picture is about 147 px square, centred, below a title of 44 px.
        SKColor[] leftQuarters = [.. Enumerable.Range(0, 16).Select(i => drawn.GetPixel(((i % 4) * 200) + 60, ((i / 4) * 200) + 117))];
        Assert.All(leftQuarters, c => Assert.True(c == SKColors.Red || c == SKColors.Blue, $"left quarter {c}"));
        Assert.Equal(SKColors.Red, leftQuarters[0]);
        Assert.InRange(leftQuarters.Count(c => c == SKColors.Blue), 2, 14);
    }

    [Fact]
    public async Task PlotAugment_AtTheDefaultSize_FillsEveryRowOfItsGrid()
    {
        string grid = _dir.File("grid.png");

        CliResult result = await CliRunner.RunAsync("plot", "augment", DrawnSeven(), "-o", grid);

        Assert.True(result.ExitCode == 0, result.Error);
        GreyImage image = ImageDecoder.DecodeFile(grid);
        // 1000x700 in 4x4 cells of 250x175: the last cell holds a picture (black around its digit), not the white page.
        Assert.Equal((1000, 700), (image.Width, image.Height));
        float lastCell = image.Pixels.Skip((640 * 1000) + 845).Take(60).Average();
        Assert.True(lastCell < 0.5f, $"the bottom-right cell is blank ({lastCell:F2})");
    }

    [Fact]
    public async Task PlotAugment_None_SaysThereIsNothingToShow()
    {
        CliResult result = await CliRunner.RunAsync("plot", "augment", DrawnSeven(), "--augment", "none", "-o", _dir.File("none.png"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("changes nothing", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Plot_UnknownExtension_SaysWhatItTakes()
    {
        CliResult result = await CliRunner.RunAsync("plot", "history", Shipped, "-o", _dir.File("curves.gif"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(".png or .svg", Assert.Single(result.ErrorLines));
    }
}
