using Digits.Core.Preprocessing;
using SkiaSharp;

namespace Digits.Core.Tests.Preprocessing;

public sealed class StrokeRendererTests
{
    [Fact]
    public void Render_SinglePoint_DrawsARoundDot()
    {
        GreyImage image = StrokeRenderer.Render([[new SKPoint(50, 50)]], 100, 100, 20);

        Assert.Equal(0f, image.Pixels[(50 * 100) + 50]);
        Assert.Equal(1f, image.Pixels[(50 * 100) + 65]);
        int inked = image.Pixels.Count(v => v < 0.5f);
        Assert.InRange(inked, 280, 350); // π·10² ≈ 314
    }

    [Fact]
    public void Render_Polyline_InksAlongItAndLeavesTheRestWhite()
    {
        GreyImage image = StrokeRenderer.Render([[new SKPoint(10, 50), new SKPoint(90, 50)]], 100, 100, 6);

        Assert.Equal(0f, image.Pixels[(50 * 100) + 50]);
        Assert.Equal(1f, image.Pixels[(20 * 100) + 50]);
    }

    [Theory]
    [InlineData(0, 100, 10)]
    [InlineData(100, 5000, 10)]
    [InlineData(100, 100, 0)]
    public void Render_BadCanvasOrPen_Throws(int width, int height, float pen) =>
        Assert.Throws<ArgumentException>(() => StrokeRenderer.Render([], width, height, pen));

    [Fact]
    public void Render_BigCanvas_IsDrawnAtTheReadingSideWithThePenInProportion()
    {
        // Regression (hardening): a 2048 px canvas was drawn whole, for seconds of CPU with a wide pen.
        GreyImage image = StrokeRenderer.Render([[new SKPoint(200, 512), new SKPoint(1848, 512)]], 2048, 1024, 64);

        Assert.Equal((StrokeRenderer.ReadingSide, StrokeRenderer.ReadingSide / 2), (image.Width, image.Height));
        float scale = StrokeRenderer.ReadingSide / 2048f;
        int inkedRows = Enumerable.Range(0, image.Height).Count(y => image.Pixels[(y * image.Width) + (image.Width / 2)] < 0.5f);
        Assert.InRange(inkedRows, (64 * scale) - 1.5, (64 * scale) + 1.5);
    }

    [Fact]
    public void Render_ThousandsOfPointsInOnePlace_DrawTheSameAsTheLineTheyMake()
    {
        // Points closer together than a sixteenth of the pen change nothing that can be seen, so they are skipped.
        SKPoint[] jittered = [.. Enumerable.Range(0, 20_000).Select(i => new SKPoint(100 + (i % 3 * 0.1f), 100 + (i / 3 % 3 * 0.1f))), new SKPoint(180, 180)];

        GreyImage many = StrokeRenderer.Render([jittered], 280, 280, 60);
        GreyImage few = StrokeRenderer.Render([[new SKPoint(100, 100), new SKPoint(180, 180)]], 280, 280, 60);

        float largest = many.Pixels.Zip(few.Pixels, (a, b) => Math.Abs(a - b)).Max();
        Assert.True(largest < 0.25f, $"the drawings differ by {largest} at most");
        Assert.InRange(many.Pixels.Count(v => v < 0.5f), few.Pixels.Count(v => v < 0.5f) - 50, few.Pixels.Count(v => v < 0.5f) + 50);
    }

    [Fact]
    public void Render_StrokesThatWouldPaintTheCanvasManyTimesOver_AreRefused()
    {
        SKPoint[] zigzag = [.. Enumerable.Range(0, 2_000).Select(i => new SKPoint(i % 2 == 0 ? 0 : 279, i * 37 % 280))];

        ArgumentException refused = Assert.Throws<ArgumentException>(() => StrokeRenderer.Render([zigzag], 280, 280, 40));

        Assert.Contains("cover the canvas", refused.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => StrokeRenderer.Render([[new SKPoint(float.NaN, 3)]], 280, 280, 10));
    }

    [Fact]
    public void Render_PenWiderThanAQuarterOfTheCanvas_IsRefused() =>
        Assert.Throws<ArgumentException>(() => StrokeRenderer.Render([[new SKPoint(10, 10)]], 2048, 2048, 2048));
}
