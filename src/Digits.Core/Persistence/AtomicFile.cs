namespace Digits.Core.Persistence;

/// <summary>Writes a file through a temporary file beside it, flushed to disk, then renamed: a failure never leaves half a file.</summary>
public static class AtomicFile
{
    /// <summary>Creates the folder if needed, lets <paramref name="write"/> fill the temporary file, then renames it to <paramref name="path"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        RemoveLeftovers(full);
        // Unique, so that two processes writing the same file never share a temporary one.
        string temporary = $"{full}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (FileStream stream = File.Create(temporary))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Deletes the temporary files of earlier writes of <paramref name="full"/> whose process is gone: a process
    /// killed mid-write (SIGKILL, power loss) leaves its temporary file behind, and each would hold a whole model.
    /// </summary>
    private static void RemoveLeftovers(string full)
    {
        string folder = Path.GetDirectoryName(full)!;
        string prefix = Path.GetFileName(full) + ".";
        foreach (string leftover in Directory.EnumerateFiles(folder, prefix + "*.tmp"))
        {
            string[] parts = Path.GetFileName(leftover)[prefix.Length..].Split('.');
            if (parts.Length == 3 && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int pid) && !IsRunning(pid))
            {
                try
                {
                    File.Delete(leftover);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    // Another writer may be removing it too; it is only clutter.
                }
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Someone else's process, which cannot be asked: leave its file alone.
            return true;
        }
    }
}
