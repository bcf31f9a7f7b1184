using System.Buffers.Binary;
using Digits.Core.Data;
using SkiaSharp;

namespace Digits.Tests.Support;

/// <summary>
/// Pictures built to cost a reader much: many pixels in few bytes, headers that claim more than the file holds,
/// photo-like grain. Shared by the tests and the worst-request benchmark.
/// </summary>
public static class HostilePictures
{
    /// <summary>A white grey PNG of the given size: a few KB that decode to many megapixels.</summary>
    public static byte[] BlankPng(int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        bitmap.Erase(SKColors.White);
        using SKData data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>A pen digit drawn across a big grey PNG with a pen in proportion.</summary>
    public static byte[] BigDigitPng(PenDigit digit, int width, int height) => BigDigit(digit, width, height, SKEncodedImageFormat.Png, 100);

    /// <summary>A pen digit drawn across a big grey picture with a pen in proportion, encoded as <paramref name="format"/>.</summary>
    public static byte[] BigDigit(PenDigit digit, int width, int height, SKEncodedImageFormat format, int quality)
    {
        using SKBitmap bitmap = Drawn(digit, width, height);
        using SKData data = bitmap.Encode(format, quality);
        return data.ToArray();
    }

    /// <summary>A pen digit on grey paper with grain in every pixel, as a photo: a JPEG that holds much data.</summary>
    public static byte[] GrainyJpeg(PenDigit digit, int width, int height, int quality)
    {
        using SKBitmap bitmap = Drawn(digit, width, height);
        var random = new Random(1);
        Span<byte> pixels = bitmap.GetPixelSpan();
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)Math.Min(pixels[i], random.Next(160, 230));
        }
        using SKData data = bitmap.Encode(SKEncodedImageFormat.Jpeg, quality);
        return data.ToArray();
    }

    private static SKBitmap Drawn(PenDigit digit, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(digit);
        int side = Math.Min(width, height);
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        using var canvas = new SKCanvas(bitmap);
        using var pen = new SKPaint { Color = SKColors.Black, IsAntialias = true, StrokeWidth = side / 16f, StrokeCap = SKStrokeCap.Round, Style = SKPaintStyle.Stroke };
        canvas.Clear(SKColors.White);
        foreach (IReadOnlyList<SKPoint> stroke in digit.OnCanvas(side))
        {
            canvas.DrawPoints(SKPointMode.Polygon, [.. stroke], pen);
        }
        return bitmap;
    }

    /// <summary>The first kilobyte of a JPEG of the given size: a whole header, then almost no picture.</summary>
    public static byte[] TruncatedJpeg(int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        bitmap.Erase(SKColors.White);
        using SKData data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 10);
        return data.ToArray()[..1024];
    }

    /// <summary>
    /// A WBMP (the wireless bitmap, type 0) of the given size, under 128 on each side: a format Skia reads but the
    /// product does not take, and which can hold anything after its few header bytes.
    /// </summary>
    public static byte[] Wbmp(int width, int height)
    {
        int rowBytes = (width + 7) / 8;
        var wbmp = new byte[4 + (rowBytes * height)];
        wbmp[2] = (byte)width;
        wbmp[3] = (byte)height;
        // Set bits are white: a black bar across the middle rows, white elsewhere.
        for (int y = 0; y < height; y++)
        {
            wbmp.AsSpan(4 + (y * rowBytes), rowBytes).Fill(Math.Abs(y - (height / 2)) < 2 ? (byte)0 : (byte)0xFF);
        }
        return wbmp;
    }

    /// <summary>
    /// Writes the file header and BITMAPINFOHEADER of a BMP at the start of <paramref name="bmp"/>: its length, where
    /// the pixels start, the size (a negative height for top-down rows) and the bits per pixel.
    /// </summary>
    public static void WriteBmpHeader(Span<byte> bmp, int pixelsAt, int width, int height, short bitsPerPixel)
    {
        bmp[0] = (byte)'B';
        bmp[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(bmp[2..], bmp.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bmp[10..], pixelsAt);
        BinaryPrimitives.WriteInt32LittleEndian(bmp[14..], 40);
        BinaryPrimitives.WriteInt32LittleEndian(bmp[18..], width);
        BinaryPrimitives.WriteInt32LittleEndian(bmp[22..], height);
        BinaryPrimitives.WriteInt16LittleEndian(bmp[26..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(bmp[28..], bitsPerPixel);
    }

    /// <summary>A BMP compressed with RLE8 that claims the given size and holds 1 KB of runs, then its end.</summary>
    public static byte[] RleBmp(int width, int height)
    {
        const int Header = 14 + 40 + (2 * 4);
        var runs = new List<byte>();
        for (int i = 0; i < 480; i++)
        {
            runs.AddRange([255, 1]);
        }
        runs.AddRange([0, 1]);
        var bmp = new byte[Header + runs.Count];
        Span<byte> b = bmp;
        WriteBmpHeader(b, Header, width, height, 8);
        BinaryPrimitives.WriteInt32LittleEndian(b[30..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(b[34..], runs.Count);
        BinaryPrimitives.WriteInt32LittleEndian(b[46..], 2);
        // Palette: white, then black.
        b[54..57].Fill(255);
        runs.CopyTo(bmp, Header);
        return bmp;
    }
}
