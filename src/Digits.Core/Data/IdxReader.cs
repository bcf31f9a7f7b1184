using System.Buffers.Binary;
using System.IO.Compression;

namespace Digits.Core.Data;

/// <summary>
/// Reads the IDX files MNIST is distributed in, gzip-compressed or raw, and checks them:
/// the magic number, the 28x28 size, the byte count and the label range.
/// </summary>
public static class IdxReader
{
    /// <summary>Magic number of an IDX file of unsigned-byte images (3 dimensions).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic number of an IDX file of unsigned-byte labels (1 dimension).</summary>
    public const int LabelsMagic = 0x00000801;

    /// <summary>Side of an MNIST image, in pixels.</summary>
    public const int ImageSide = 28;

    /// <summary>Reads an images file into one byte array of <c>count * 28 * 28</c> pixels, row-major.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid IDX images file.</exception>
    public static byte[] ReadImages(string path, out int count)
    {
        byte[] bytes = ReadAllBytes(path);
        int magic = ReadHeaderInt(bytes, 0, path, "magic number");
        if (magic != ImagesMagic)
        {
            throw new InvalidDataException(
                $"'{path}' is not an IDX images file: magic number 0x{magic:X8}, expected 0x{ImagesMagic:X8}.");
        }
        count = ReadHeaderInt(bytes, 4, path, "image count");
        int rows = ReadHeaderInt(bytes, 8, path, "row count");
        int cols = ReadHeaderInt(bytes, 12, path, "column count");
        if (rows != ImageSide || cols != ImageSide)
        {
            throw new InvalidDataException(
                $"'{path}' holds {rows}x{cols} images, expected {ImageSide}x{ImageSide}.");
        }
        const int HeaderSize = 16;
        long expected = HeaderSize + (long)count * rows * cols;
        CheckLength(path, bytes.Length, expected, count, "images");
        return bytes.AsSpan(HeaderSize).ToArray();
    }

    /// <summary>Reads a labels file; every label is checked to be a digit 0-9.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid IDX labels file.</exception>
    public static byte[] ReadLabels(string path, int classes = 10)
    {
        byte[] bytes = ReadAllBytes(path);
        int magic = ReadHeaderInt(bytes, 0, path, "magic number");
        if (magic != LabelsMagic)
        {
            throw new InvalidDataException(
                $"'{path}' is not an IDX labels file: magic number 0x{magic:X8}, expected 0x{LabelsMagic:X8}.");
        }
        int count = ReadHeaderInt(bytes, 4, path, "label count");
        const int HeaderSize = 8;
        CheckLength(path, bytes.Length, HeaderSize + (long)count, count, "labels");
        byte[] labels = bytes.AsSpan(HeaderSize).ToArray();
        for (int i = 0; i < labels.Length; i++)
        {
            if (labels[i] >= classes)
            {
                throw new InvalidDataException(
                    $"'{path}' has label {labels[i]} at index {i}, expected a value from 0 to {classes - 1}.");
            }
        }
        return labels;
    }

    /// <summary>Reads a whole file, decompressing it when it starts with the gzip signature.</summary>
    public static byte[] ReadAllBytes(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"IDX file '{Path.GetFullPath(path)}' not found.", path);
        }
        using FileStream file = File.OpenRead(path);
        if (!IsGzip(file))
        {
            using var raw = new MemoryStream(checked((int)file.Length));
            file.CopyTo(raw);
            return raw.ToArray();
        }
        try
        {
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var unpacked = new MemoryStream();
            gzip.CopyTo(unpacked);
            return unpacked.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}' is a damaged gzip file ({e.Message}); download it again.", e);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"'{path}' is a truncated gzip file; download it again.", e);
        }
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> signature = stackalloc byte[2];
        int read = file.Read(signature);
        file.Position = 0;
        return read == 2 && signature[0] == 0x1f && signature[1] == 0x8b;
    }

    private static int ReadHeaderInt(byte[] bytes, int offset, string path, string field)
    {
        if (bytes.Length < offset + 4)
        {
            throw new InvalidDataException(
                $"'{path}' is truncated: it has {bytes.Length} bytes, too few for the IDX header's {field}.");
        }
        int value = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset));
        if (value < 0)
        {
            throw new InvalidDataException($"'{path}' has a negative {field} ({value}) in its IDX header.");
        }
        return value;
    }

    private static void CheckLength(string path, long actual, long expected, int count, string what)
    {
        if (actual < expected)
        {
            throw new InvalidDataException(
                $"'{path}' is truncated: {actual} bytes, expected {expected} for {count} {what}.");
        }
        if (actual > expected)
        {
            throw new InvalidDataException(
                $"'{path}' has {actual - expected} bytes more than the {expected} its header announces for {count} {what}.");
        }
    }
}
