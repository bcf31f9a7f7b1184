using System.IO.Compression;
using Digits.Core.Data;
using Digits.Tests.Support;

namespace Digits.Cli.Tests.Support;

/// <summary>Builds MNIST data folders for the tests: copies of the real files, some of them spoiled.</summary>
public static class DataFolders
{
    /// <summary>Copies the four real files into <paramref name="folder"/>.</summary>
    public static void CopyAll(TempDirectory folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        foreach (MnistFile file in MnistFiles.All)
        {
            File.Copy(SharedMnist.PathOf(file), folder.File(file.GzipName), overwrite: true);
        }
    }

    /// <summary>
    /// Replaces a labels file in <paramref name="folder"/> with a valid gzip of the real labels, one changed:
    /// still a readable IDX file, so only the checksum can tell. Returns its path.
    /// </summary>
    public static string WriteChangedLabels(TempDirectory folder, MnistFile labels)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(labels);
        byte[] content = Gunzip(File.ReadAllBytes(SharedMnist.PathOf(labels)));
        const int FirstLabel = 8;
        content[FirstLabel] = (byte)((content[FirstLabel] + 1) % 10);
        string path = folder.File(labels.GzipName);
        using var output = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        output.Write(content);
        return path;
    }

    private static byte[] Gunzip(byte[] gzip)
    {
        using var input = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }
}
