using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SkiaSharp;

namespace Digits.Core.Preprocessing;

/// <summary>
/// Decodes PNG, JPEG, BMP, WebP and GIF (its first frame) with SkiaSharp into a <see cref="GreyImage"/>,
/// refusing images over a pixel limit from their header, before any pixel is decoded.
/// </summary>
public static class ImageDecoder
{
    /// <summary>The default limit: 50 megapixels, above a 48-megapixel phone photo.</summary>
    public const long DefaultMaxPixels = 50_000_000;

    /// <summary>Pictures smaller than this on either side cannot hold a legible digit.</summary>
    public const int MinSide = 8;

    /// <summary>What a refusal says the decoder reads: the formats of <see cref="s_formats"/>.</summary>
    private const string Readable = "expected PNG, JPEG, BMP, WebP or GIF.";

    private static readonly HashSet<SKEncodedImageFormat> s_formats =
        [SKEncodedImageFormat.Png, SKEncodedImageFormat.Jpeg, SKEncodedImageFormat.Bmp, SKEncodedImageFormat.Webp, SKEncodedImageFormat.Gif];

    /// <summary>Reads and decodes a file.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a readable image; the message says why.</exception>
    public static GreyImage DecodeFile(string path, long maxPixels = DefaultMaxPixels)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Image '{Path.GetFullPath(path)}' not found.", path);
        }
        return Decode(File.ReadAllBytes(path), maxPixels);
    }

    /// <summary>Decodes an encoded image held in memory.</summary>
    /// <exception cref="ImageTooLargeException">Over <paramref name="maxPixels"/>, judged from the header.</exception>
    /// <exception cref="InvalidDataException">Empty, not an image, truncated or too small.</exception>
    public static GreyImage Decode(ReadOnlySpan<byte> encoded, long maxPixels = DefaultMaxPixels)
    {
        using SKBitmap bitmap = DecodeRgba(encoded, maxPixels, MinSide, out SKEncodedOrigin origin);
        // Phones store photos as the sensor saw them and say in the EXIF data how to turn them upright.
        return Orient(FromRgba(bitmap.GetPixelSpan(), bitmap.Width, bitmap.Height), origin);
    }

    /// <summary>
    /// Decodes an encoded image into unpremultiplied RGBA, as stored (not turned by its EXIF orientation, which
    /// <paramref name="origin"/> returns), after checking from the header that it is no smaller than
    /// <paramref name="minSide"/> on either side and can be decoded in no more than <paramref name="maxPixels"/>:
    /// a bigger JPEG is decoded scaled down by 2 or 4 to fit.
    /// </summary>
    /// <exception cref="ImageTooLargeException">Over <paramref name="maxPixels"/>, even scaled.</exception>
    /// <exception cref="InvalidDataException">Empty, not an image, too small, truncated or damaged.</exception>
    public static SKBitmap DecodeRgba(ReadOnlySpan<byte> encoded, long maxPixels, int minSide, out SKEncodedOrigin origin)
    {
        if (encoded.IsEmpty)
        {
            throw new InvalidDataException("The file is empty.");
        }
        using SKData data = SKData.CreateCopy(encoded);
        using SKCodec? codec = SKCodec.Create(data);
        // Skia reads a few formats more (WBMP, ICO, ...); the ones named are all that is promised and tested.
        if (codec is null || !s_formats.Contains(codec.EncodedFormat))
        {
            throw new InvalidDataException(codec is null
                ? $"Not an image: {Readable}"
                : $"A {codec.EncodedFormat.ToString().ToUpperInvariant()} image; {Readable}");
        }
        int width = codec.Info.Width;
        int height = codec.Info.Height;
        if (width < minSide || height < minSide)
        {
            throw new InvalidDataException($"The image is {width}x{height} pixels, too small to hold a digit (at least {minSide}x{minSide}).");
        }
        SKSizeI size = DecodedSize(codec, maxPixels);
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var bitmap = new SKBitmap(info);
        SKCodecResult result = codec.GetPixels(info, bitmap.GetPixels());
        if (result != SKCodecResult.Success)
        {
            bitmap.Dispose();
            throw new InvalidDataException(result is SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput
                ? $"The image is truncated or damaged ({result}); only part of it could be decoded."
                : $"The image could not be decoded ({result}).");
        }
        origin = codec.EncodedOrigin;
        return bitmap;
    }

    /// <summary>
    /// The size to decode the image at: its own when it holds no more than <paramref name="maxPixels"/>; for a JPEG
    /// over that, a half or a quarter of it if that does, which its decoder produces at a fraction of the cost by
    /// scaling each 8x8 block as it goes. (An eighth would let a small file claim a size whose blocks alone cost
    /// more to read than any picture of a digit needs.)
    /// </summary>
    /// <exception cref="ImageTooLargeException">Over the limit even at a quarter, or over it and not a JPEG.</exception>
    private static SKSizeI DecodedSize(SKCodec codec, long maxPixels)
    {
        SKSizeI size = codec.Info.Size;
        if ((long)size.Width * size.Height <= maxPixels)
        {
            return size;
        }
        if (codec.EncodedFormat == SKEncodedImageFormat.Jpeg)
        {
            foreach (float scale in (ReadOnlySpan<float>)[0.5f, 0.25f])
            {
                SKSizeI scaled = codec.GetScaledDimensions(scale);
                if ((long)scaled.Width * scaled.Height <= maxPixels)
                {
                    return scaled;
                }
            }
        }
        throw new ImageTooLargeException(
            $"The image is {size.Width}x{size.Height} ({(long)size.Width * size.Height / 1e6:0.#} megapixels), over the limit of {maxPixels / 1e6:0.#} megapixels; scale it down first.");
    }

    /// <summary>
    /// Turns an image as its EXIF orientation says, so that it is seen as the person who took it saw it.
    /// <paramref name="origin"/> names where the stored image's first row and column belong.
    /// </summary>
    public static GreyImage Orient(GreyImage image, SKEncodedOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (origin is SKEncodedOrigin.TopLeft)
        {
            return image;
        }
        (float[] pixels, int width, int height) = Orient<float>(image.Pixels, image.Width, image.Height, origin);
        return new GreyImage(width, height, pixels);
    }

    /// <summary>
    /// Decodes an encoded image into unpremultiplied RGBA turned upright by its EXIF orientation (see
    /// <see cref="DecodeRgba"/> for the checks); the caller owns the bitmap.
    /// </summary>
    /// <exception cref="ImageTooLargeException">Over <paramref name="maxPixels"/>, even scaled.</exception>
    /// <exception cref="InvalidDataException">Empty, not an image, too small, truncated or damaged.</exception>
    public static SKBitmap DecodeUpright(ReadOnlySpan<byte> encoded, long maxPixels, int minSide)
    {
        SKBitmap stored = DecodeRgba(encoded, maxPixels, minSide, out SKEncodedOrigin origin);
        if (origin is SKEncodedOrigin.TopLeft)
        {
            return stored;
        }
        using (stored)
        {
            // One RGBA pixel is four bytes: turned as one 32-bit value.
            (uint[] pixels, int width, int height) = Orient<uint>(MemoryMarshal.Cast<byte, uint>(stored.GetPixelSpan()), stored.Width, stored.Height, origin);
            var upright = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
            MemoryMarshal.AsBytes(pixels.AsSpan()).CopyTo(upright.GetPixelSpan());
            return upright;
        }
    }

    /// <summary>The pixels of a <paramref name="width"/> x <paramref name="height"/> image laid out as <paramref name="origin"/> says is upright.</summary>
    private static (T[] Pixels, int Width, int Height) Orient<T>(ReadOnlySpan<T> source, int width, int height, SKEncodedOrigin origin)
    {
        int w = width;
        int h = height;
        // Origins from LeftTop on swap the width and the height.
        bool transposed = origin >= SKEncodedOrigin.LeftTop;
        int outW = transposed ? h : w;
        int outH = transposed ? w : h;
        var pixels = new T[source.Length];
        for (int y = 0; y < outH; y++)
        {
            for (int x = 0; x < outW; x++)
            {
                (int sx, int sy) = origin switch
                {
                    SKEncodedOrigin.TopRight => (w - 1 - x, y),
                    SKEncodedOrigin.BottomRight => (w - 1 - x, h - 1 - y),
                    SKEncodedOrigin.BottomLeft => (x, h - 1 - y),
                    SKEncodedOrigin.LeftTop => (y, x),
                    SKEncodedOrigin.RightTop => (y, h - 1 - x),
                    SKEncodedOrigin.RightBottom => (w - 1 - y, h - 1 - x),
                    SKEncodedOrigin.LeftBottom => (w - 1 - y, x),
                    _ => (x, y),
                };
                pixels[(y * outW) + x] = source[(sy * w) + sx];
            }
        }
        return (pixels, outW, outH);
    }

    // BT.601 weights in 8.8 fixed point (77 + 150 + 29 = 256), and the factor from their sum to [0, 1].
    private const uint Red = 77;
    private const uint Green = 150;
    private const uint Blue = 29;
    private const float Luminance = 1f / (256 * 255);

    /// <summary>
    /// Luminance (ITU-R BT.601 weights) of unpremultiplied RGBA pixels. Transparent pixels count as background:
    /// they are composited over the colour opposite to the opaque ink, so that both black and white strokes on a
    /// transparent canvas stand out.
    /// </summary>
    public static GreyImage FromRgba(ReadOnlySpan<byte> rgba, int width, int height)
    {
        int count = width * height;
        if (rgba.Length != count * 4)
        {
            throw new ArgumentException($"A {width}x{height} RGBA image needs {count * 4} bytes; received {rgba.Length}.", nameof(rgba));
        }
        var pixels = new float[count];
        // Each pixel is one 32-bit word, R in its lowest byte on a little-endian machine, eight at a time where the
        // CPU has 256-bit vectors (a canvas has 78,400 pixels); both loops compute the same integers and floats.
        ReadOnlySpan<uint> words = MemoryMarshal.Cast<byte, uint>(rgba);
        uint alphas = uint.MaxValue;
        int i = 0;
        if (Vector256.IsHardwareAccelerated && BitConverter.IsLittleEndian)
        {
            Vector256<uint> channel = Vector256.Create((uint)byte.MaxValue);
            Vector256<float> scale = Vector256.Create(Luminance);
            Vector256<uint> opaque = Vector256<uint>.AllBitsSet;
            for (; i + Vector256<uint>.Count <= count; i += Vector256<uint>.Count)
            {
                Vector256<uint> word = Vector256.Create(words.Slice(i, Vector256<uint>.Count));
                Vector256<uint> sum = ((word & channel) * Red) + (((word >> 8) & channel) * Green) + (((word >> 16) & channel) * Blue);
                (Vector256.ConvertToSingle(sum.AsInt32()) * scale).CopyTo(pixels.AsSpan(i));
                opaque &= word;
            }
            for (int lane = 0; lane < Vector256<uint>.Count; lane++)
            {
                alphas &= opaque[lane];
            }
        }
        for (; i < count; i++)
        {
            uint word = BitConverter.IsLittleEndian ? words[i] : BinaryPrimitives.ReverseEndianness(words[i]);
            pixels[i] = (int)((Red * (word & 0xFF)) + (Green * ((word >> 8) & 0xFF)) + (Blue * ((word >> 16) & 0xFF))) * Luminance;
            alphas &= word;
        }
        if (alphas >> 24 != byte.MaxValue)
        {
            CompositeOverBackground(rgba, pixels);
        }
        return new GreyImage(width, height, pixels);
    }

    /// <summary>Mostly dark opaque pixels (black ink) go over white; light ones over black.</summary>
    private static void CompositeOverBackground(ReadOnlySpan<byte> rgba, float[] pixels)
    {
        double opaqueLuminance = 0;
        double opaqueWeight = 0;
        for (int i = 0; i < pixels.Length; i++)
        {
            float alpha = rgba[(i * 4) + 3] / 255f;
            opaqueLuminance += pixels[i] * alpha;
            opaqueWeight += alpha;
        }
        float background = opaqueWeight > 0 && opaqueLuminance / opaqueWeight > 0.5 ? 0f : 1f;
        for (int i = 0; i < pixels.Length; i++)
        {
            float alpha = rgba[(i * 4) + 3] / 255f;
            pixels[i] = (pixels[i] * alpha) + (background * (1 - alpha));
        }
    }
}
