using System.Buffers.Binary;
using CsCheck;
using Digits.Tests.Support;
using SkiaSharp;

namespace Digits.Core.Tests.Fuzzing;

/// <summary>
/// Encoded pictures for fuzzing decoders: random content (noise, strokes, flat colour, strokes on a transparent
/// canvas) in each format the decoder reads, and headers that claim sizes the data does not hold. SkiaSharp encodes
/// PNG, JPEG and WebP; BMP and GIF are written here, since SkiaSharp only decodes them.
/// </summary>
public static class FuzzImages
{
    /// <summary>The formats <c>ImageDecoder</c> reads.</summary>
    public static IReadOnlyList<SKEncodedImageFormat> Formats { get; } =
        [SKEncodedImageFormat.Png, SKEncodedImageFormat.Jpeg, SKEncodedImageFormat.Webp, SKEncodedImageFormat.Bmp, SKEncodedImageFormat.Gif];

    /// <summary>What a picture shows.</summary>
    public enum Content
    {
        /// <summary>Random colour and alpha in every pixel.</summary>
        Noise,

        /// <summary>Dark strokes on light paper, opaque.</summary>
        Strokes,

        /// <summary>One colour all over.</summary>
        Flat,

        /// <summary>Strokes on a fully transparent canvas.</summary>
        TransparentStrokes,
    }

    /// <summary>
    /// Well-formed pictures, <paramref name="minSide"/> to <paramref name="maxSide"/> pixels a side, in any format,
    /// with random content and quality.
    /// </summary>
    public static Gen<FuzzBytes> Encoded(int minSide, int maxSide) =>
        Gen.Select(Gen.OneOf(Formats.ToArray()), Gen.Int[minSide, maxSide], Gen.Int[minSide, maxSide], Gen.Enum<Content>(), Gen.Int, Gen.Int[1, 100])
            .Select((format, width, height, content, seed, quality) =>
                new FuzzBytes($"{format} {width}x{height} {content} seed {seed} quality {quality}", Encode(format, width, height, content, seed, quality)));

    /// <summary>A picture drawn from <paramref name="seed"/> and encoded.</summary>
    public static byte[] Encode(SKEncodedImageFormat format, int width, int height, Content content, int seed, int quality)
    {
        using SKBitmap bitmap = Draw(width, height, content, seed);
        return format switch
        {
            SKEncodedImageFormat.Bmp => Bmp(bitmap, topDown: seed % 2 == 0),
            SKEncodedImageFormat.Gif => Gif(bitmap, transparent: content == Content.TransparentStrokes),
            _ => Skia(bitmap, format, quality),
        };
    }

    /// <summary>
    /// Sizes a header may claim: none, huge, one long row, one tall column, just under and at the decoder's 8 px
    /// minimum, and anything.
    /// </summary>
    public static Gen<(int Width, int Height)> ClaimedSize { get; } = Gen.Frequency(
        (3, Gen.OneOf((0, 0), (100_000, 100_000), (65_535, 1), (1, 65_535), (7, 7), (8, 8), (16_383, 16_383), (int.MaxValue, int.MaxValue), (-8, -8), (50_000, 1_001))),
        (1, Gen.Select(Gen.Int, Gen.Int)));

    /// <summary>A well-formed picture whose header is changed to claim another size (the PNG's header checksum fixed or not).</summary>
    public static Gen<FuzzBytes> Claiming(Gen<FuzzBytes> pictures) =>
        Gen.Select(pictures, ClaimedSize, Gen.Bool).Select((picture, size, fixCrc) =>
            picture.Then($"header claims {size.Width}x{size.Height}{(fixCrc ? "" : ", PNG checksum left stale")}", Claim(picture.Bytes, size.Width, size.Height, fixCrc)));

    /// <summary>The signatures of the formats, for random bytes that start like a picture.</summary>
    public static (string Name, byte[] Bytes)[] Signatures { get; } =
    [
        ("PNG signature", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
        ("JPEG SOI", [0xFF, 0xD8, 0xFF, 0xE0]),
        ("GIF89a", "GIF89a"u8.ToArray()),
        ("BMP", "BM"u8.ToArray()),
        ("WebP RIFF", [.. "RIFF"u8, 0x40, 0, 0, 0, .. "WEBPVP8 "u8]),
    ];

    /// <summary>Writes <paramref name="width"/> x <paramref name="height"/> into the header of a PNG, JPEG, GIF, BMP or WebP file; other bytes come back unchanged.</summary>
    public static byte[] Claim(byte[] encoded, int width, int height, bool fixPngCrc)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        byte[] bytes = (byte[])encoded.Clone();
        Span<byte> b = bytes;
        if (b.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47]) && b.Length >= 33)
        {
            BinaryPrimitives.WriteInt32BigEndian(b[16..], width);
            BinaryPrimitives.WriteInt32BigEndian(b[20..], height);
            if (fixPngCrc)
            {
                BinaryPrimitives.WriteUInt32BigEndian(b[29..], Crc32(b[12..29]));
            }
        }
        else if (b.StartsWith("BM"u8) && b.Length >= 26)
        {
            BinaryPrimitives.WriteInt32LittleEndian(b[18..], width);
            BinaryPrimitives.WriteInt32LittleEndian(b[22..], height);
        }
        else if (b.StartsWith("GIF"u8) && b.Length >= 10)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b[6..], (ushort)width);
            BinaryPrimitives.WriteUInt16LittleEndian(b[8..], (ushort)height);
            int descriptor = b.IndexOf((byte)0x2C);
            if (descriptor > 0 && descriptor + 9 <= b.Length)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(b[(descriptor + 5)..], (ushort)width);
                BinaryPrimitives.WriteUInt16LittleEndian(b[(descriptor + 7)..], (ushort)height);
            }
        }
        else if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8]))
        {
            for (int i = 2; i + 9 <= b.Length; i++)
            {
                // The start-of-frame markers of baseline, extended and progressive JPEGs: length, precision, height, width.
                if (b[i] == 0xFF && b[i + 1] is 0xC0 or 0xC1 or 0xC2)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(b[(i + 5)..], (ushort)height);
                    BinaryPrimitives.WriteUInt16BigEndian(b[(i + 7)..], (ushort)width);
                    break;
                }
            }
        }
        else if (b.StartsWith("RIFF"u8) && b.Length >= 30)
        {
            if (b[12..16].SequenceEqual("VP8 "u8))
            {
                // A lossy frame: 14-bit width and height after the frame tag and start code.
                BinaryPrimitives.WriteUInt16LittleEndian(b[26..], (ushort)(width & 0x3FFF));
                BinaryPrimitives.WriteUInt16LittleEndian(b[28..], (ushort)(height & 0x3FFF));
            }
            else if (b[12..16].SequenceEqual("VP8L"u8))
            {
                // A lossless frame: after the 0x2F signature, width - 1 and height - 1 in 14 bits each.
                uint packed = BinaryPrimitives.ReadUInt32LittleEndian(b[21..]);
                packed = (packed & 0xF000_0000) | ((uint)(width - 1) & 0x3FFF) | (((uint)(height - 1) & 0x3FFF) << 14);
                BinaryPrimitives.WriteUInt32LittleEndian(b[21..], packed);
            }
            else if (b[12..16].SequenceEqual("VP8X"u8))
            {
                // An extended file: the canvas's width - 1 and height - 1 in 24 bits each.
                WriteUInt24(b[24..], width - 1);
                WriteUInt24(b[27..], height - 1);
            }
        }
        return bytes;
    }

    /// <summary>The CRC-32 that PNG chunks carry (polynomial 0xEDB88320).</summary>
    private static uint Crc32(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }
        return ~crc;
    }

    private static void WriteUInt24(Span<byte> target, int value)
    {
        target[0] = (byte)value;
        target[1] = (byte)(value >> 8);
        target[2] = (byte)(value >> 16);
    }

    /// <summary>Draws the content from <paramref name="seed"/> into an unpremultiplied RGBA bitmap; the caller owns it.</summary>
    private static SKBitmap Draw(int width, int height, Content content, int seed)
    {
        var random = new Random(seed);
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        if (content == Content.Noise)
        {
            random.NextBytes(bitmap.GetPixelSpan());
            return bitmap;
        }
        SKColor Colour(byte low, byte high) => new((byte)random.Next(low, high), (byte)random.Next(low, high), (byte)random.Next(low, high));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(content switch
        {
            Content.Flat => Colour(0, 255),
            Content.TransparentStrokes => SKColors.Transparent,
            _ => Colour(180, 255),
        });
        if (content == Content.Flat)
        {
            return bitmap;
        }
        using var pen = new SKPaint
        {
            Color = Colour(0, 90),
            IsAntialias = true,
            StrokeWidth = 1 + (random.NextSingle() * Math.Max(width, height) / 8),
            StrokeCap = SKStrokeCap.Round,
            Style = SKPaintStyle.Stroke,
        };
        for (int stroke = random.Next(1, 4); stroke > 0; stroke--)
        {
            var points = new SKPoint[random.Next(2, 8)];
            for (int i = 0; i < points.Length; i++)
            {
                points[i] = new SKPoint(random.NextSingle() * width, random.NextSingle() * height);
            }
            canvas.DrawPoints(SKPointMode.Polygon, points, pen);
        }
        return bitmap;
    }

    private static byte[] Skia(SKBitmap bitmap, SKEncodedImageFormat format, int quality)
    {
        using SKData data = bitmap.Encode(format, quality);
        return data.ToArray();
    }

    /// <summary>A 24-bit uncompressed BMP (BITMAPINFOHEADER), bottom-up or top-down (a negative height).</summary>
    private static byte[] Bmp(SKBitmap bitmap, bool topDown)
    {
        const int Header = 14 + 40;
        int width = bitmap.Width;
        int height = bitmap.Height;
        int stride = ((width * 3) + 3) / 4 * 4;
        var bmp = new byte[Header + (stride * height)];
        Span<byte> b = bmp;
        HostilePictures.WriteBmpHeader(b, Header, width, topDown ? -height : height, 24);
        ReadOnlySpan<byte> rgba = bitmap.GetPixelSpan();
        for (int y = 0; y < height; y++)
        {
            int row = Header + ((topDown ? y : height - 1 - y) * stride);
            for (int x = 0; x < width; x++)
            {
                int p = ((y * width) + x) * 4;
                // Stored as blue, green, red.
                (b[row + (x * 3)], b[row + (x * 3) + 1], b[row + (x * 3) + 2]) = (rgba[p + 2], rgba[p + 1], rgba[p]);
            }
        }
        return bmp;
    }

    /// <summary>
    /// A GIF89a of one frame with a 256-level grey palette (index = luminance; with <paramref name="transparent"/>,
    /// index 255 is transparent and taken by pixels under half alpha). Its LZW data is written without compression:
    /// every pixel is one 9-bit code, with a clear code often enough that the code width never grows.
    /// </summary>
    private static byte[] Gif(SKBitmap bitmap, bool transparent)
    {
        int width = bitmap.Width;
        int height = bitmap.Height;
        var gif = new List<byte>();
        gif.AddRange("GIF89a"u8);
        gif.AddRange([(byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0xF7, 0, 0]);
        for (int level = 0; level < 256; level++)
        {
            gif.AddRange([(byte)level, (byte)level, (byte)level]);
        }
        if (transparent)
        {
            // Graphic control extension: transparency on, index 255.
            gif.AddRange([0x21, 0xF9, 4, 1, 0, 0, 255, 0]);
        }
        gif.AddRange([0x2C, 0, 0, 0, 0, (byte)width, (byte)(width >> 8), (byte)height, (byte)(height >> 8), 0]);
        const int MinCodeSize = 8;
        const int Clear = 1 << MinCodeSize;
        const int End = Clear + 1;
        gif.Add(MinCodeSize);
        var data = new List<byte>();
        int buffer = 0;
        int bits = 0;
        void Code(int code)
        {
            buffer |= code << bits;
            bits += MinCodeSize + 1;
            while (bits >= 8)
            {
                data.Add((byte)buffer);
                buffer >>= 8;
                bits -= 8;
            }
        }
        ReadOnlySpan<byte> rgba = bitmap.GetPixelSpan();
        int sinceClear = 0;
        Code(Clear);
        for (int p = 0; p < rgba.Length; p += 4)
        {
            if (++sinceClear == 200)
            {
                Code(Clear);
                sinceClear = 1;
            }
            int luminance = ((77 * rgba[p]) + (150 * rgba[p + 1]) + (29 * rgba[p + 2])) >> 8;
            Code(transparent && rgba[p + 3] < 128 ? 255 : Math.Min(luminance, transparent ? 254 : 255));
        }
        Code(End);
        if (bits > 0)
        {
            data.Add((byte)buffer);
        }
        for (int start = 0; start < data.Count; start += 255)
        {
            int count = Math.Min(255, data.Count - start);
            gif.Add((byte)count);
            gif.AddRange(data.GetRange(start, count));
        }
        gif.Add(0);
        gif.Add(0x3B);
        return [.. gif];
    }
}
