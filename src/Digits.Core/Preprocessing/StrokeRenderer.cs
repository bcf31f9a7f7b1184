using SkiaSharp;

namespace Digits.Core.Preprocessing;

/// <summary>
/// Draws strokes (polylines, as a canvas records them) the way a canvas does: black, anti-aliased, with a round
/// pen and round joins, on white. A stroke of one point is a dot.
/// </summary>
public static class StrokeRenderer
{
    /// <summary>The largest canvas side accepted, in pixels.</summary>
    public const int MaxSide = 4096;

    /// <summary>Renders <paramref name="strokes"/>, in canvas pixels with y pointing down, onto a <paramref name="width"/> x <paramref name="height"/> canvas.</summary>
    /// <param name="strokes">Each stroke a list of (x, y) points.</param>
    /// <param name="width">Canvas width, pixels.</param>
    /// <param name="height">Canvas height, pixels.</param>
    /// <param name="penWidth">Pen diameter, pixels.</param>
    public static GreyImage Render(IReadOnlyList<IReadOnlyList<SKPoint>> strokes, int width, int height, float penWidth)
    {
        ArgumentNullException.ThrowIfNull(strokes);
        if (width is < 1 or > MaxSide || height is < 1 or > MaxSide)
        {
            throw new ArgumentException($"The canvas must be 1 to {MaxSide} pixels on each side; received {width}x{height}.");
        }
        if (!(penWidth > 0 && penWidth <= Math.Max(width, height)))
        {
            throw new ArgumentException($"The pen width must be positive and no larger than the canvas; received {penWidth}.", nameof(penWidth));
        }
        var info = new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        using (var canvas = new SKCanvas(bitmap))
        using (var pen = new SKPaint { Color = SKColors.Black, IsAntialias = true, StrokeWidth = penWidth, StrokeCap = SKStrokeCap.Round, StrokeJoin = SKStrokeJoin.Round, Style = SKPaintStyle.Stroke })
        using (var path = new SKPath())
        {
            canvas.Clear(SKColors.White);
            foreach (IReadOnlyList<SKPoint> stroke in strokes)
            {
                if (stroke is null || stroke.Count == 0)
                {
                    continue;
                }
                path.MoveTo(stroke[0]);
                if (stroke.Count == 1)
                {
                    // A zero-length segment with round caps draws a dot.
                    path.LineTo(stroke[0]);
                }
                for (int i = 1; i < stroke.Count; i++)
                {
                    path.LineTo(stroke[i]);
                }
            }
            canvas.DrawPath(path, pen);
        }
        ReadOnlySpan<byte> grey = bitmap.GetPixelSpan();
        var pixels = new float[width * height];
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<byte> row = grey.Slice(y * bitmap.RowBytes, width);
            for (int x = 0; x < width; x++)
            {
                pixels[(y * width) + x] = row[x] / 255f;
            }
        }
        return new GreyImage(width, height, pixels);
    }
}
