using Digits.Core.Preprocessing;
using SkiaSharp;

namespace Digits.Plots;

/// <summary>A grid of small grey images (digits, kernels, feature maps), each under its title, drawn with SkiaSharp; mistakes are titled in red.</summary>
public static class SampleGrid
{
    /// <summary>One cell: a grey image (row by row, values in [0, 1], 1 white), its title, and whether it is a mistake.</summary>
    public sealed record Cell(float[] Pixels, int Width, int Height, string Title, bool Mistake = false)
    {
        /// <summary>A 28x28 digit.</summary>
        public static Cell Digit(float[] pixels, string title, bool mistake) => new(pixels, MnistGeometry.Size, MnistGeometry.Size, title, mistake);
    }

    private const float TitleShare = 0.22f;
    private const float Gap = 0.06f;
    private const float TitleWidthShare = 0.88f;

    /// <summary>Draws the cells in as square a grid as fits, filling a <paramref name="width"/> x <paramref name="height"/> canvas.</summary>
    public static void Draw(SKCanvas canvas, int width, int height, IReadOnlyList<Cell> cells)
    {
        ArgumentNullException.ThrowIfNull(canvas);
        ArgumentNullException.ThrowIfNull(cells);
        canvas.Clear(SKColors.White);
        if (cells.Count == 0)
        {
            return;
        }
        int columns = (int)Math.Ceiling(Math.Sqrt(cells.Count * width / (double)height));
        int rows = (cells.Count + columns - 1) / columns;
        float cellWidth = width / (float)columns;
        float cellHeight = height / (float)rows;
        float titleHeight = cellHeight * TitleShare;
        float side = Math.Min(cellWidth, cellHeight - titleHeight) * (1 - Gap);
        using var font = new SKFont(SKTypeface.Default, titleHeight * 0.7f);
        // Shrink the type until the longest title fits its cell.
        float widest = cells.Max(c => font.MeasureText(c.Title));
        font.Size = Math.Min(font.Size, font.Size * cellWidth * TitleWidthShare / Math.Max(1, widest));
        using var text = new SKPaint { IsAntialias = true };
        // A thin frame, so that a white image does not melt into the page.
        using var frame = new SKPaint { Color = SKColors.LightGray, Style = SKPaintStyle.Stroke, StrokeWidth = 1 };
        for (int i = 0; i < cells.Count; i++)
        {
            float left = (i % columns) * cellWidth;
            float top = (i / columns) * cellHeight;
            text.Color = cells[i].Mistake ? new SKColor(0xC6, 0x28, 0x28) : SKColors.Black;
            canvas.DrawText(cells[i].Title, left + (cellWidth / 2), top + (titleHeight * 0.8f), SKTextAlign.Center, font, text);
            using SKImage image = Grey(cells[i]);
            float scale = side / Math.Max(cells[i].Width, cells[i].Height);
            var target = SKRect.Create(left + ((cellWidth - (cells[i].Width * scale)) / 2), top + titleHeight, cells[i].Width * scale, cells[i].Height * scale);
            canvas.DrawImage(image, target, new SKSamplingOptions(SKFilterMode.Nearest));
            canvas.DrawRect(target, frame);
        }
    }

    private static SKImage Grey(Cell cell)
    {
        using SKBitmap bitmap = new GreyImage(cell.Width, cell.Height, cell.Pixels).ToBitmap();
        return SKImage.FromBitmap(bitmap);
    }
}
