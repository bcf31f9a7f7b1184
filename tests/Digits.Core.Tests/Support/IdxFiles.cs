using System.Buffers.Binary;
using System.IO.Compression;

namespace Digits.Core.Tests.Support;

/// <summary>Writes small IDX files, good and broken, for the reader's tests.</summary>
public static class IdxFiles
{
    /// <summary>An images file: magic, count, rows, cols, then the pixels.</summary>
    public static byte[] Images(int count, int rows = 28, int cols = 28, int magic = 0x803, int? declaredCount = null, Func<int, byte>? pixel = null)
    {
        byte[] bytes = new byte[16 + (count * rows * cols)];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(0), magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), declaredCount ?? count);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(8), rows);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(12), cols);
        for (int i = 16; i < bytes.Length; i++)
        {
            bytes[i] = pixel?.Invoke(i - 16) ?? (byte)(i * 7);
        }
        return bytes;
    }

    /// <summary>A labels file: magic, count, then the labels.</summary>
    public static byte[] Labels(byte[] labels, int magic = 0x801, int? declaredCount = null)
    {
        byte[] bytes = new byte[8 + labels.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(0), magic);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), declaredCount ?? labels.Length);
        labels.CopyTo(bytes, 8);
        return bytes;
    }

    /// <summary>gzip-compresses <paramref name="content"/>.</summary>
    public static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(content);
        }
        return output.ToArray();
    }
}
