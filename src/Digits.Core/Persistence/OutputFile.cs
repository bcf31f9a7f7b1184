namespace Digits.Core.Persistence;

/// <summary>
/// The one rule for every command that writes: it never replaces a file it did not start from unless the person
/// says so with <c>--force</c>. A model file in particular holds hours of training that nothing else keeps.
/// </summary>
public static class OutputFile
{
    /// <summary>The option that lets a command replace an existing file.</summary>
    public const string ForceOption = "--force";

    /// <summary>
    /// Throws unless <paramref name="path"/> may be written: it does not exist yet, it is one of the files the run
    /// started from (a resumed model), or <paramref name="force"/> is set. A folder in its place is refused even with force.
    /// </summary>
    /// <param name="path">The file about to be written.</param>
    /// <param name="force">True when the person gave <see cref="ForceOption"/>.</param>
    /// <param name="outputOption">The option that chooses the file (<c>--out</c>, <c>--output</c>), named in the message.</param>
    /// <param name="startedFrom">Files the run read its state from and may write back.</param>
    /// <exception cref="IOException">The file exists, or a folder has its name.</exception>
    public static void EnsureWritable(string path, bool force, string outputOption, params string?[] startedFrom)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(startedFrom);
        if (Directory.Exists(path))
        {
            throw new IOException($"'{path}' is a folder; give {outputOption} the name of a file to write.");
        }
        string full = Path.GetFullPath(path);
        if (force || !File.Exists(full) || startedFrom.Any(start => start is not null && Path.GetFullPath(start) == full))
        {
            return;
        }
        throw new IOException(
            $"'{path}' already exists, and this command would replace it; write elsewhere with {outputOption} FILE, or give {ForceOption} to replace it.");
    }

    /// <summary>
    /// Throws unless the folder <paramref name="path"/> may be written into: it is missing or empty, or
    /// <paramref name="force"/> is set.
    /// </summary>
    /// <param name="path">The folder about to be filled.</param>
    /// <param name="force">True when the person gave <see cref="ForceOption"/>.</param>
    /// <exception cref="IOException">The folder holds files, or a file has its name.</exception>
    public static void EnsureWritableFolder(string path, bool force)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (File.Exists(path))
        {
            throw new IOException($"'{path}' is a file; give the name of a folder to write the pictures into.");
        }
        if (!force && Directory.Exists(path) && Directory.EnumerateFileSystemEntries(path).Any())
        {
            throw new IOException(
                $"'{path}' already holds files, which this command could replace; give an empty or new folder, or {ForceOption} to write into it.");
        }
    }
}
