using Digits.Core.Preprocessing;
using SkiaSharp;

namespace Digits.Benchmarks;

/// <summary>Canvas drawings encoded as a browser exports them.</summary>
public static class Pictures
{
    /// <summary>The drawing as a browser canvas exports it: an RGBA PNG, black ink on white.</summary>
    public static byte[] Png(GreyImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        Span<byte> pixels = bitmap.GetPixelSpan();
        for (int i = 0; i < image.Pixels.Length; i++)
        {
            byte v = GreyImage.ToByte(image.Pixels[i]);
            pixels[(i * 4)..((i * 4) + 3)].Fill(v);
            pixels[(i * 4) + 3] = byte.MaxValue;
        }
        using SKData data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
