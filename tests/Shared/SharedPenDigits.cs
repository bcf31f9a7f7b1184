using Digits.Core.Data;

namespace Digits.Tests.Support;

/// <summary>The pen-tablet development set: shared/data/pendigits beside the MNIST folder.</summary>
public static class SharedPenDigits
{
    /// <summary>The strokes file; fails with a clear message when it is missing.</summary>
    public static string File { get; } = Find();

    private static readonly Lazy<IReadOnlyList<PenDigit>> s_digits = new(() => PenDigitsFile.Load(File).AsReadOnly(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The digits of <see cref="File"/>, read once on first use and shared by every test of the run.</summary>
    public static IReadOnlyList<PenDigit> Digits => s_digits.Value;

    private static string Find()
    {
        string candidate = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(SharedMnist.Folder))!, "pendigits", "pendigits-tra.jsonl.gz");
        return System.IO.File.Exists(candidate)
            ? candidate
            : throw new InvalidOperationException($"The pendigits file was not found at '{candidate}'; it lives in shared/data/pendigits beside shared/data/mnist.");
    }
}
