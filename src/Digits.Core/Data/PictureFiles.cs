using System.Collections.Concurrent;

namespace Digits.Core.Data;

/// <summary>Listing and reading the picture files of folders, as image folders and digit folders do.</summary>
internal static class PictureFiles
{
    /// <summary>The files of <paramref name="folder"/>, hidden ones (names starting with a dot) left out, in ordinal order.</summary>
    public static IEnumerable<string> In(string folder) =>
        Directory.GetFiles(folder).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal);

    /// <summary>
    /// Runs <paramref name="read"/> for each index of <paramref name="paths"/>, in parallel. A file it cannot read
    /// (it throws <see cref="InvalidDataException"/>, <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>)
    /// is skipped, with the exception's message as the reason.
    /// </summary>
    /// <returns>Which indices were read, and the skipped files in path order.</returns>
    public static (int[] Read, IReadOnlyList<SkippedFile> Skipped) ReadEach(IReadOnlyList<string> paths, Action<int> read)
    {
        var readable = new bool[paths.Count];
        var skipped = new ConcurrentBag<SkippedFile>();
        Parallel.For(0, paths.Count, i =>
        {
            try
            {
                read(i);
                readable[i] = true;
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                skipped.Add(new SkippedFile(paths[i], e.Message));
            }
        });
        return ([.. Enumerable.Range(0, paths.Count).Where(i => readable[i])], [.. skipped.OrderBy(s => s.Path, StringComparer.Ordinal)]);
    }
}
