namespace Digits.Core.Models;

/// <summary>Thrown for a model name that is not registered; the message lists the known names and the closest one.</summary>
public sealed class UnknownModelException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="name"/>.</summary>
    public UnknownModelException(string name, IReadOnlyList<string> known)
        : base(BuildMessage(name, known))
    {
        Name = name;
        Closest = ClosestName(name, known);
    }

    /// <summary>The name that was asked for.</summary>
    public string Name { get; }

    /// <summary>The known name nearest to <see cref="Name"/> by edit distance.</summary>
    public string? Closest { get; }

    private static string BuildMessage(string name, IReadOnlyList<string> known)
    {
        string? closest = ClosestName(name, known);
        return $"Unknown model '{name}'. Known: {string.Join(", ", known)}, or a layer-list .json file." +
            (closest is null ? "" : $" Did you mean '{closest}'?");
    }

    private static string? ClosestName(string name, IReadOnlyList<string> known) =>
        known.OrderBy(k => EditDistance(name.ToLowerInvariant(), k)).FirstOrDefault();

    private static int EditDistance(string a, string b)
    {
        int[] previous = Enumerable.Range(0, b.Length + 1).ToArray();
        int[] current = new int[b.Length + 1];
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
