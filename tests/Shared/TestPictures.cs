using Digits.Core.Data;
using Digits.Core.Evaluation;
using Digits.Core.Preprocessing;
using SkiaSharp;

namespace Digits.Tests.Support;

/// <summary>Pictures of digits for tests, drawn or taken from MNIST, and encoded as real image files.</summary>
public static class TestPictures
{
    /// <summary>A "7" as a person draws it on a canvas of <paramref name="size"/> pixels: a bar and a slanted stem.</summary>
    public static IReadOnlyList<IReadOnlyList<SKPoint>> Seven(int size) =>
    [
        [new SKPoint(0.3f * size, 0.2f * size), new SKPoint(0.7f * size, 0.2f * size), new SKPoint(0.45f * size, 0.8f * size)],
    ];

    /// <summary>
    /// The <see cref="Seven"/> drawn on a 280x280 canvas with an 18-pixel pen, encoded as <paramref name="format"/>
    /// (PNG unless given).
    /// </summary>
    public static byte[] DrawnSeven(SKEncodedImageFormat format = SKEncodedImageFormat.Png) =>
        Encode(StrokeRenderer.Render(Seven(280), 280, 280, 18), format);

    /// <summary>Writes <see cref="DrawnSeven"/> as a PNG to <paramref name="path"/>, creating its folder, and returns the path.</summary>
    public static string WriteDrawnSeven(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllBytes(path, DrawnSeven());
        return path;
    }

    /// <summary>A pen-tablet digit drawn as on the web page's canvas (black on white, the page's pen), as a PNG.</summary>
    public static byte[] CanvasPng(PenDigit digit)
    {
        return Encode(digit.Draw(), SKEncodedImageFormat.Png);
    }

    /// <summary>A grey image as 8-bit RGBA with full alpha.</summary>
    public static byte[] ToRgba(GreyImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var rgba = new byte[image.Pixels.Length * 4];
        for (int i = 0; i < image.Pixels.Length; i++)
        {
            byte v = (byte)Math.Round(Math.Clamp(image.Pixels[i], 0, 1) * 255);
            (rgba[i * 4], rgba[(i * 4) + 1], rgba[(i * 4) + 2], rgba[(i * 4) + 3]) = (v, v, v, 255);
        }
        return rgba;
    }

    /// <summary>Encodes a grey image as PNG, JPEG or WebP with SkiaSharp.</summary>
    public static byte[] Encode(GreyImage image, SKEncodedImageFormat format, int quality = 90)
    {
        ArgumentNullException.ThrowIfNull(image);
        using SKBitmap bitmap = image.ToBitmap();
        using SKData data = bitmap.Encode(format, quality);
        return data.ToArray();
    }

    /// <summary>An MNIST image (784 values, white on black) as a 28x28 grey image.</summary>
    public static GreyImage FromMnist(ReadOnlySpan<float> pixels) => new(28, 28, pixels.ToArray());

    /// <summary>
    /// A PNG file claiming <paramref name="width"/> x <paramref name="height"/> pixels whose image data stops after one
    /// row: a valid signature, IHDR, a short IDAT and IEND. Its header reads as a real picture of that size; decoding
    /// it would need width x height bytes of memory before finding the data missing.
    /// </summary>
    public static byte[] PngClaiming(int width, int height)
    {
        using var compressed = new MemoryStream();
        using (var zlib = new System.IO.Compression.ZLibStream(compressed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(new byte[width + 1]);
        }
        return [137, 80, 78, 71, 13, 10, 26, 10,
            .. Chunk("IHDR", [.. BigEndian(width), .. BigEndian(height), 8, 0, 0, 0, 0]),
            .. Chunk("IDAT", compressed.ToArray()),
            .. Chunk("IEND", [])];
    }

    /// <summary>
    /// <paramref name="jpeg"/> with an EXIF block saying how to turn it upright (1 upright, 6 turn a quarter clockwise,
    /// 3 half a turn, 8 a quarter anticlockwise), as a phone writes it: an APP1 segment after the start marker.
    /// </summary>
    public static byte[] WithExifOrientation(byte[] jpeg, int orientation)
    {
        ArgumentNullException.ThrowIfNull(jpeg);
        byte[] exif =
        [
            .. "Exif\0\0"u8.ToArray(),
            // A big-endian TIFF header, then one directory entry: Orientation (0x0112), SHORT, one value.
            (byte)'M', (byte)'M', 0, 42, 0, 0, 0, 8,
            0, 1,
            0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte)orientation, 0, 0,
            0, 0, 0, 0,
        ];
        int length = exif.Length + 2;
        return [jpeg[0], jpeg[1], 0xFF, 0xE1, (byte)(length >> 8), (byte)length, .. exif, .. jpeg[2..]];
    }

    private static byte[] Chunk(string type, byte[] data)
    {
        byte[] typed = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
        return [.. BigEndian(data.Length), .. typed, .. BigEndian((int)Crc32(typed))];
    }

    private static byte[] BigEndian(int value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];

    /// <summary>The CRC-32 that PNG chunks carry (polynomial 0xEDB88320).</summary>
    private static uint Crc32(byte[] bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320 ^ (crc >> 1) : crc >> 1;
            }
        }
        return ~crc;
    }
}
