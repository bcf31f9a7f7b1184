using SkiaSharp;

namespace Digits.Core.Preprocessing;

/// <summary>
/// Draws strokes (polylines, as a canvas records them) the way a canvas does: black, anti-aliased, with a round
/// pen and round joins, on white. A stroke of one point is a dot.
/// </summary>
/// <remarks>
/// The cost is bounded whatever the strokes, because strangers send them: the canvas is drawn at no more than
/// <see cref="ReadingSide"/> pixels on its longer side (the preprocessor reads nothing finer: it reduces bigger
/// pictures to half that), points closer to the last one kept than a sixteenth of the pen are skipped (they
/// change no pixel's outline by more than that), and strokes that would paint more than
/// <see cref="MaxCoverage"/> canvases' worth of ink are refused.
/// </remarks>
public static class StrokeRenderer
{
    /// <summary>The largest canvas side accepted, in pixels.</summary>
    public const int MaxSide = 4096;

    /// <summary>
    /// Canvases longer than this on a side are drawn scaled down to it. 280 px is the web page's canvas, drawn
    /// as it is; <see cref="ImagePreprocessor"/> reduces any picture over twice its 140 px working size anyway.
    /// </summary>
    public const int ReadingSide = PageCanvas.Size;

    /// <summary>
    /// The most ink the strokes may lay down, in canvases: the strokes' length times the pen, plus each stroke's
    /// round ends, over the canvas's area. A digit drawn on the page's canvas paints about a fifth of one.
    /// </summary>
    public const double MaxCoverage = 4;

    /// <summary>The widest pen, as a share of the canvas's longer side: a pen wider than this cannot write a legible digit (the page's is 6%).</summary>
    public const float MaxPenShare = 0.25f;

    /// <summary>Points nearer than this to the last point kept, in drawn pixels or a sixteenth of the pen if more, are skipped.</summary>
    private const float MinStep = 0.5f;

    /// <summary>
    /// The ink of a pen thinner than this share of the canvas's longer side is counted as if the pen were this wide:
    /// drawing costs by the strokes' length as much as by their width. The longest digit of the pen-tablet set,
    /// drawn on the page's canvas with its pen, paints a fifth of a canvas: the limit is twenty times that.
    /// </summary>
    private const float MinCountedPenShare = 1 / 20f;

    /// <summary>Renders <paramref name="strokes"/>, in canvas pixels with y pointing down, onto a <paramref name="width"/> x <paramref name="height"/> canvas.</summary>
    /// <param name="strokes">Each stroke a list of (x, y) points.</param>
    /// <param name="width">Canvas width, pixels.</param>
    /// <param name="height">Canvas height, pixels.</param>
    /// <param name="penWidth">Pen diameter, pixels.</param>
    /// <param name="maxSide">
    /// The longest side drawn; a bigger canvas is drawn scaled down to it, and the image returned has that size.
    /// Defaults to <see cref="ReadingSide"/>.
    /// </param>
    /// <exception cref="ArgumentException">A canvas or pen out of range, or strokes over <see cref="MaxCoverage"/>.</exception>
    public static GreyImage Render(
        IReadOnlyList<IReadOnlyList<SKPoint>> strokes, int width, int height, float penWidth, int maxSide = ReadingSide)
    {
        ArgumentNullException.ThrowIfNull(strokes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSide);
        if (width is < 1 or > MaxSide || height is < 1 or > MaxSide)
        {
            throw new ArgumentException($"The canvas must be 1 to {MaxSide} pixels on each side; received {width}x{height}.");
        }
        if (!(penWidth > 0 && penWidth <= MaxPenShare * Math.Max(width, height)))
        {
            throw new ArgumentException(
                $"The pen width must be positive and at most a quarter of the canvas's longer side ({MaxPenShare * Math.Max(width, height):0.#} px); received {penWidth}.");
        }
        float scale = Math.Min(1f, maxSide / (float)Math.Max(width, height));
        int drawnWidth = Math.Max(1, (int)MathF.Round(width * scale));
        int drawnHeight = Math.Max(1, (int)MathF.Round(height * scale));
        float pen = penWidth * scale;
        using SKPath path = Path(strokes, scale, pen, drawnWidth, drawnHeight);

        var info = new SKImageInfo(drawnWidth, drawnHeight, SKColorType.Gray8, SKAlphaType.Opaque);
        using var bitmap = new SKBitmap(info);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true, StrokeWidth = pen, StrokeCap = SKStrokeCap.Round, StrokeJoin = SKStrokeJoin.Round, Style = SKPaintStyle.Stroke })
        {
            canvas.Clear(SKColors.White);
            canvas.DrawPath(path, paint);
        }
        ReadOnlySpan<byte> grey = bitmap.GetPixelSpan();
        var pixels = new float[drawnWidth * drawnHeight];
        for (int y = 0; y < drawnHeight; y++)
        {
            ReadOnlySpan<byte> row = grey.Slice(y * bitmap.RowBytes, drawnWidth);
            for (int x = 0; x < drawnWidth; x++)
            {
                pixels[(y * drawnWidth) + x] = row[x] / 255f;
            }
        }
        return new GreyImage(drawnWidth, drawnHeight, pixels);
    }

    /// <summary>
    /// The strokes as one path in drawn pixels, without the points that change nothing, after checking that its
    /// ink stays within <see cref="MaxCoverage"/> canvases.
    /// </summary>
    private static SKPath Path(IReadOnlyList<IReadOnlyList<SKPoint>> strokes, float scale, float pen, int width, int height)
    {
        double area = (double)width * height;
        int side = Math.Max(width, height);
        float step = Math.Max(MinStep, pen / 16);
        float counted = Math.Max(pen, MinCountedPenShare * side);
        double ink = 0;
        var path = new SKPath();
        try
        {
            foreach (IReadOnlyList<SKPoint> stroke in strokes)
            {
                if (stroke is null || stroke.Count == 0)
                {
                    continue;
                }
                SKPoint last = Scaled(stroke[0], scale);
                path.MoveTo(last);
                double length = 0;
                for (int i = 1; i < stroke.Count; i++)
                {
                    SKPoint point = Scaled(stroke[i], scale);
                    float distance = SKPoint.Distance(point, last);
                    if (distance >= step || (i == stroke.Count - 1 && distance > 0))
                    {
                        path.LineTo(point);
                        length += distance;
                        last = point;
                    }
                }
                if (length == 0)
                {
                    // A zero-length segment with round caps draws a dot.
                    path.LineTo(last);
                }
                // The stroke's two round ends add a pen's disc.
                ink += (length * counted) + (Math.PI / 4 * counted * counted);
                if (ink > MaxCoverage * area)
                {
                    throw new ArgumentException(
                        $"The strokes would cover the canvas more than {MaxCoverage:0} times over with this pen; one digit covers it less than once. Send one digit's strokes.");
                }
            }
            return path;
        }
        catch
        {
            path.Dispose();
            throw;
        }
    }

    private static SKPoint Scaled(SKPoint point, float scale) => float.IsFinite(point.X) && float.IsFinite(point.Y)
        ? new SKPoint(point.X * scale, point.Y * scale)
        : throw new ArgumentException($"Stroke points must be finite numbers; received ({point.X}, {point.Y}).");
}
