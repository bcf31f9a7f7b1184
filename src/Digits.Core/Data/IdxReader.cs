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

    /// <summary>
    /// The most bytes an IDX file may hold once unpacked: 256 MiB, room for EMNIST's 240,000 training digits (188 MB)
    /// and five times MNIST's 60,000 (47 MB). Each pixel becomes four bytes of float32 in a dataset, so a bigger file is
    /// refused from its header, before anything else is read.
    /// </summary>
    public const long MaxBytes = 256L * 1024 * 1024;

    /// <summary>Reads an images file into one byte array of <c>count * 28 * 28</c> pixels, row-major.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid IDX images file, or announces more than <see cref="MaxBytes"/>.</exception>
    public static byte[] ReadImages(string path, out int count)
    {
        const int HeaderSize = 16;
        using Stream stream = Open(path);
        byte[] header = ReadUpTo(stream, HeaderSize, path);
        int magic = ReadHeaderInt(header, 0, path, "magic number");
        if (magic != ImagesMagic)
        {
            throw new InvalidDataException(
                $"'{path}' is not an IDX images file: magic number 0x{magic:X8}, expected 0x{ImagesMagic:X8}.");
        }
        count = ReadHeaderInt(header, 4, path, "image count");
        int rows = ReadHeaderInt(header, 8, path, "row count");
        int cols = ReadHeaderInt(header, 12, path, "column count");
        if (rows != ImageSide || cols != ImageSide)
        {
            throw new InvalidDataException(
                $"'{path}' holds {rows}x{cols} images, expected {ImageSide}x{ImageSide}.");
        }
        return ReadBody(stream, path, HeaderSize, (long)count * rows * cols, count, "images");
    }

    /// <summary>Reads a labels file; every label is checked to be a digit 0-9.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid IDX labels file, or announces more than <see cref="MaxBytes"/>.</exception>
    public static byte[] ReadLabels(string path, int classes = 10)
    {
        const int HeaderSize = 8;
        using Stream stream = Open(path);
        byte[] header = ReadUpTo(stream, HeaderSize, path);
        int magic = ReadHeaderInt(header, 0, path, "magic number");
        if (magic != LabelsMagic)
        {
            throw new InvalidDataException(
                $"'{path}' is not an IDX labels file: magic number 0x{magic:X8}, expected 0x{LabelsMagic:X8}.");
        }
        int count = ReadHeaderInt(header, 4, path, "label count");
        byte[] labels = ReadBody(stream, path, HeaderSize, count, count, "labels");
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
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Damaged gzip, or more than <see cref="MaxBytes"/> once unpacked.</exception>
    public static byte[] ReadAllBytes(string path)
    {
        using Stream stream = Open(path);
        using var content = new MemoryStream();
        if (Copy(stream, content, MaxBytes + 1, path) > MaxBytes)
        {
            throw new InvalidDataException($"'{path}' holds more than {MaxBytes:N0} bytes, the most an IDX file of digits may hold.");
        }
        return content.ToArray();
    }

    /// <summary>The file as a stream of its content: unpacked when it starts with the gzip signature.</summary>
    private static Stream Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"IDX file '{Path.GetFullPath(path)}' not found.", path);
        }
        FileStream file = File.OpenRead(path);
        return IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> signature = stackalloc byte[2];
        int read = file.Read(signature);
        file.Position = 0;
        return read == 2 && signature[0] == 0x1f && signature[1] == 0x8b;
    }

    /// <summary>Up to <paramref name="count"/> bytes: fewer only when the content ends first.</summary>
    private static byte[] ReadUpTo(Stream stream, int count, string path)
    {
        using var header = new MemoryStream(count);
        Copy(stream, header, count, path);
        return header.ToArray();
    }

    /// <summary>
    /// The <paramref name="expected"/> bytes after the header, checked to be all there and nothing more. The buffer grows
    /// with the data actually read, and reading stops one byte past the announced size, so neither a short file
    /// announcing much nor a small gzip unpacking to gigabytes costs more memory than the header allows.
    /// </summary>
    private static byte[] ReadBody(Stream stream, string path, int headerSize, long expected, int count, string what)
    {
        long total = headerSize + expected;
        if (total > MaxBytes)
        {
            throw new InvalidDataException(
                $"'{path}' announces {count:N0} {what}, {total:N0} bytes, more than the {MaxBytes:N0} an IDX file of digits may hold; it is not an MNIST file.");
        }
        using var body = new MemoryStream(stream is FileStream file ? (int)Math.Clamp(file.Length - headerSize, 0, expected + 1) : 0);
        long read = Copy(stream, body, expected + 1, path);
        CheckLength(path, headerSize + read, total, count, what);
        return body.Length == body.Capacity ? body.GetBuffer() : body.ToArray();
    }

    /// <summary>Copies at most <paramref name="limit"/> bytes and returns how many; a damaged gzip becomes an <see cref="InvalidDataException"/>.</summary>
    private static long Copy(Stream source, MemoryStream target, long limit, string path)
    {
        byte[] chunk = new byte[(int)Math.Min(limit, 81_920)];
        long copied = 0;
        try
        {
            int read;
            while (copied < limit && (read = source.Read(chunk, 0, (int)Math.Min(chunk.Length, limit - copied))) > 0)
            {
                target.Write(chunk, 0, read);
                copied += read;
            }
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}' is a damaged gzip file ({e.Message}); download it again.", e);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"'{path}' is a truncated gzip file; download it again.", e);
        }
        return copied;
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
                $"'{path}' holds more than the {expected} bytes its header announces for {count} {what}.");
        }
    }
}
