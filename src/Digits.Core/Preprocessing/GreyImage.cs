using SkiaSharp;

namespace Digits.Core.Preprocessing;

/// <summary>A grey image: <see cref="Pixels"/> holds <c>Width * Height</c> luminances in [0, 1] (0 black, 1 white), row by row.</summary>
public sealed class GreyImage
{
    /// <summary>Wraps <paramref name="pixels"/>, which must hold <c>width * height</c> values.</summary>
    public GreyImage(int width, int height, float[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != (long)width * height)
        {
            throw new ArgumentException($"A {width}x{height} image needs {(long)width * height} pixels; received {pixels.Length}.", nameof(pixels));
        }
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Columns.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>Luminance in [0, 1], row by row.</summary>
    public float[] Pixels { get; }

    /// <summary>A value in [0, 1] (clamped) as a byte 0-255, rounded to the nearest.</summary>
    public static byte ToByte(float value) => (byte)Math.Round(Math.Clamp(value, 0, 1) * 255);

    /// <summary>The image as an 8-bit grey bitmap (values clamped to [0, 1], then 0-255); the caller owns it.</summary>
    public SKBitmap ToBitmap()
    {
        var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Gray8, SKAlphaType.Opaque));
        Span<byte> target = bitmap.GetPixelSpan();
        for (int y = 0; y < Height; y++)
        {
            for (int x = 0; x < Width; x++)
            {
                target[(y * bitmap.RowBytes) + x] = ToByte(Pixels[(y * Width) + x]);
            }
        }
        return bitmap;
    }

    /// <summary>The image as an 8-bit grey PNG: what any of the decoded formats becomes when kept.</summary>
    public byte[] ToPng()
    {
        using SKBitmap bitmap = ToBitmap();
        using SKData png = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }
}
