using Digits.Core.Data;
using Digits.Tests.Support;

namespace Digits.Tests.Support;

/// <summary>The real MNIST files: $DIGITS_DATA, else shared/data/mnist in a folder above the test binaries.</summary>
public static class SharedMnist
{
    /// <summary>The folder holding the four official .gz files; fails with a clear message when it cannot be found.</summary>
    public static string Folder { get; } = Find();

    /// <summary>The path of <paramref name="file"/> in <see cref="Folder"/>.</summary>
    public static string PathOf(MnistFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return Path.Combine(Folder, file.GzipName);
    }

    private static string Find()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable(MnistFiles.DataVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment;
        }
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "shared", "data", "mnist");
            if (MnistFiles.All.All(f => File.Exists(Path.Combine(candidate, f.GzipName))))
            {
                return candidate;
            }
        }
        // A skipped test proves nothing: fail, and say how to fix it.
        throw new InvalidOperationException(
            $"The MNIST files were not found: set {MnistFiles.DataVariable} to their folder, or put them in shared/data/mnist beside the repository.");
    }
}
