using Digits.Core.Data;

namespace Digits.Core.Tests.Support;

/// <summary>Where the real MNIST files are for tests: $DIGITS_DATA, else ../shared/data/mnist above the repository.</summary>
public static class TestData
{
    /// <summary>The MNIST folder; fails with a clear message when it cannot be found (a skipped test proves nothing).</summary>
    public static string MnistDirectory
    {
        get
        {
            string? fromEnvironment = Environment.GetEnvironmentVariable(MnistFiles.DataVariable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                return fromEnvironment;
            }
            for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "shared", "data", "mnist");
                if (File.Exists(Path.Combine(candidate, MnistFiles.TestLabels.GzipName)))
                {
                    return candidate;
                }
            }
            throw new InvalidOperationException(
                $"MNIST not found: set {MnistFiles.DataVariable} or put the files in ../shared/data/mnist beside the repository.");
        }
    }

    /// <summary>A fresh temporary folder, deleted by the returned handle.</summary>
    public static TempDirectory NewTempDirectory() => new();
}
