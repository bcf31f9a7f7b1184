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
}
