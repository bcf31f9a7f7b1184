using Digits.Core.Preprocessing;
using SkiaSharp;

namespace Digits.Plots;

/// <summary>A grid of small images (digits, kernels, feature maps, augmented pictures), each under its title, drawn with SkiaSharp; mistakes are titled in red.</summary>
public static class SampleGrid
{
    /// <summary>
    /// One cell: an image (values in [0, 1], row by row, one plane per channel: grey, or red, green and blue), its title,
    /// and whether it is a mistake.
    /// </summary>
    public sealed record Cell(float[] Pixels, int Width, int Height, string Title, bool Mistake = false, int Channels = 1);

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
        // As few columns as fill those rows, so that the last row is never a lone cell or two (16 cells: 4x4, not 5+5+5+1).
        columns = (cells.Count + rows - 1) / rows;
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
            using SKImage image = Picture(cells[i]);
            float scale = side / Math.Max(cells[i].Width, cells[i].Height);
            var target = SKRect.Create(left + ((cellWidth - (cells[i].Width * scale)) / 2), top + titleHeight, cells[i].Width * scale, cells[i].Height * scale);
            canvas.DrawImage(image, target, new SKSamplingOptions(SKFilterMode.Nearest));
            canvas.DrawRect(target, frame);
        }
    }

    private static SKImage Picture(Cell cell)
    {
        if (cell.Channels == 1)
        {
            using SKBitmap grey = new GreyImage(cell.Width, cell.Height, cell.Pixels).ToBitmap();
            return SKImage.FromBitmap(grey);
        }
        if (cell.Channels != 3 || cell.Pixels.Length != 3 * cell.Width * cell.Height)
        {
            throw new ArgumentException($"A cell holds 1 or 3 planes of {cell.Width}x{cell.Height}; '{cell.Title}' has {cell.Channels} channels and {cell.Pixels.Length} values.", nameof(cell));
        }
        int plane = cell.Width * cell.Height;
        using var bitmap = new SKBitmap(new SKImageInfo(cell.Width, cell.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        Span<byte> target = bitmap.GetPixelSpan();
        for (int y = 0; y < cell.Height; y++)
        {
            for (int x = 0; x < cell.Width; x++)
            {
                int at = (y * bitmap.RowBytes) + (x * 4);
                for (int c = 0; c < 3; c++)
                {
                    target[at + c] = GreyImage.ToByte(cell.Pixels[(c * plane) + (y * cell.Width) + x]);
                }
                target[at + 3] = 255;
            }
        }
        return SKImage.FromBitmap(bitmap);
    }
}
