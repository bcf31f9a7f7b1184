namespace Digits.Web;

/// <summary>
/// Decides which page loads count as visits: the first from an address, then one each <see cref="Window"/>, so a
/// loop of requests (or reloads) from one address counts once. Each instance keeps its own addresses, so behind
/// several instances sharing a store an address counts at most once per instance per window.
/// </summary>
public sealed class VisitGate(TimeProvider clock)
{
    /// <summary>How long after a counted visit the same address's page loads are not counted again.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(30);

    /// <summary>Addresses remembered at most; past it those outside the window are forgotten, and if none are, all.</summary>
    public const int MaxAddresses = 100_000;

    private readonly Dictionary<string, DateTimeOffset> _counted = [];
    private readonly Lock _lock = new();

    /// <summary>True when a page load from <paramref name="address"/> now is a new visit; it is then remembered.</summary>
    public bool IsNewVisit(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        DateTimeOffset now = clock.GetUtcNow();
        lock (_lock)
        {
            if (_counted.TryGetValue(address, out DateTimeOffset last) && now - last < Window)
            {
                return false;
            }
            if (_counted.Count >= MaxAddresses)
            {
                Forget(now);
            }
            _counted[address] = now;
            return true;
        }
    }

    private void Forget(DateTimeOffset now)
    {
        foreach (string stale in _counted.Where(e => now - e.Value >= Window).Select(e => e.Key).ToList())
        {
            _counted.Remove(stale);
        }
        if (_counted.Count >= MaxAddresses)
        {
            _counted.Clear();
        }
    }
}
