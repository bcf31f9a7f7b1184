using System.Globalization;

namespace Digits.Core.Data;

/// <summary>
/// One of <see cref="Count"/> folds of writers, for checks on writers held out of training: the writer whose id ends in
/// the number n (<c>w07</c>: 7) is in fold (n − 1) mod <see cref="Count"/>, so the folds of 30 writers in 5 are
/// w01, w06, … w26; w02, w07, … and so on. Training leaves the fold's writers out; evaluation scores only them.
/// </summary>
/// <param name="Index">The fold, from 0.</param>
/// <param name="Count">How many folds, at least 2.</param>
public readonly record struct WriterFold(int Index, int Count)
{
    /// <summary>Reads <c>K/N</c>, as <c>--held-out</c> takes it.</summary>
    /// <exception cref="ArgumentException">Not two whole numbers with 0 ≤ K &lt; N and N ≥ 2.</exception>
    public static WriterFold Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            && count >= 2 && index < count)
        {
            return new WriterFold(index, count);
        }
        throw new ArgumentException($"--held-out takes K/N, fold K (from 0) of N writer folds, for example 0/5; received '{text}'.");
    }

    /// <summary>True when <paramref name="writer"/> is in this fold.</summary>
    /// <exception cref="ArgumentException">The id does not end in a number.</exception>
    public bool Holds(string writer) => (NumberOf(writer) - 1) % Count == Index;

    /// <summary>The digits of <paramref name="digits"/> whose writers are in this fold (<paramref name="inFold"/>) or not.</summary>
    public List<PenDigit> Select(IEnumerable<PenDigit> digits, bool inFold)
    {
        WriterFold fold = this;
        return [.. digits.Where(d => fold.Holds(d.Writer) == inFold)];
    }

    /// <inheritdoc />
    public override string ToString() => $"{Index}/{Count}";

    private static int NumberOf(string writer)
    {
        int start = writer.Length;
        while (start > 0 && char.IsAsciiDigit(writer[start - 1]))
        {
            start--;
        }
        return start < writer.Length && int.TryParse(writer.AsSpan(start), NumberStyles.None, CultureInfo.InvariantCulture, out int number) && number > 0
            ? number
            : throw new ArgumentException($"Writer '{writer}' has no number at the end of its id, so it belongs to no fold; number the writers (w01, w02, …) to use --held-out.");
    }
}
