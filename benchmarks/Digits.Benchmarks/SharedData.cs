namespace Digits.Benchmarks;

/// <summary>The shared/ folder beside the repository, which holds the data.</summary>
public static class SharedData
{
    /// <summary>Found from the working directory upwards.</summary>
    public static string Folder()
    {
        for (DirectoryInfo? dir = new(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared");
            if (Directory.Exists(Path.Combine(candidate, "data", "pendigits")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("shared/data/pendigits was not found above the working directory; run from the repository.");
    }
}
