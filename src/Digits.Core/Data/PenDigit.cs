using Digits.Core.Preprocessing;
using SkiaSharp;

namespace Digits.Core.Data;

/// <summary>A digit written on a pen tablet: its label, its writer, and its pen-down strokes in tablet units (y up).</summary>
/// <param name="Label">The digit, 0-9.</param>
/// <param name="Writer">The writer's id.</param>
/// <param name="Strokes">Each stroke a list of points in tablet units, y pointing up.</param>
public sealed record PenDigit(int Label, string Writer, IReadOnlyList<IReadOnlyList<SKPoint>> Strokes)
{
    /// <summary>
    /// The strokes laid out on a square canvas as a person would draw them: y flipped to point down, the
    /// longer side of the bounding box scaled to <paramref name="fill"/> of the canvas, aspect kept, centred.
    /// </summary>
    /// <param name="size">Canvas side, pixels.</param>
    /// <param name="fill">Share of the canvas the digit's longer side takes. Defaults to 0.65.</param>
    public IReadOnlyList<IReadOnlyList<SKPoint>> OnCanvas(int size, double fill = 0.65)
    {
        SKPoint[] all = [.. Strokes.SelectMany(s => s)];
        if (all.Length == 0)
        {
            return [];
        }
        float left = all.Min(p => p.X);
        float right = all.Max(p => p.X);
        float bottom = all.Min(p => p.Y);
        float top = all.Max(p => p.Y);
        float scale = (float)(size * fill / Math.Max(1, Math.Max(right - left, top - bottom)));
        float offsetX = (size - ((right - left) * scale)) / 2;
        float offsetY = (size - ((top - bottom) * scale)) / 2;
        return [.. Strokes.Select(stroke => (IReadOnlyList<SKPoint>)[.. stroke.Select(p => new SKPoint(offsetX + ((p.X - left) * scale), offsetY + ((top - p.Y) * scale)))])];
    }

    /// <summary>The digit drawn as a person would on the web page's canvas: black on white, its round pen.</summary>
    public GreyImage Draw() => StrokeRenderer.Render(OnCanvas(PageCanvas.Size), PageCanvas.Size, PageCanvas.Size, PageCanvas.PenWidth);

    /// <summary>The digit drawn on the canvas, then prepared as every picture is.</summary>
    public PreparedPicture Prepare() => ImagePreprocessor.Prepare(Draw());

    /// <summary>Each of <paramref name="digits"/> drawn on the canvas and prepared, in parallel, in their order.</summary>
    public static PreparedPicture[] PrepareAll(IReadOnlyList<PenDigit> digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        var prepared = new PreparedPicture[digits.Count];
        Parallel.For(0, digits.Count, i => prepared[i] = digits[i].Prepare());
        return prepared;
    }
}
