namespace Digits.Stores;

/// <summary>
/// The web app's state: visits (total and per day), predictions made, and corrections sent by users. Every count is
/// exact under concurrency: each implementation increments atomically in the store itself.
/// </summary>
public interface IDigitsStore : IDisposable
{
    /// <summary>Which store this is, for health reports ("sqlite", "redis").</summary>
    public string Kind { get; }

    /// <summary>Counts one visit to the page on <paramref name="day"/>.</summary>
    public Task RecordVisitAsync(DateOnly day, CancellationToken cancellationToken);

    /// <summary>Counts one prediction answered.</summary>
    public Task RecordPredictionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Keeps a correction for retraining unless the store already holds <paramref name="limit"/>; the check and the
    /// write are one step, so concurrent corrections cannot pass the limit together.
    /// </summary>
    /// <returns>The correction's id and how many the store holds with it; null when it was full and kept nothing.</returns>
    public Task<CorrectionAdded?> AddCorrectionAsync(Correction correction, long limit, CancellationToken cancellationToken);

    /// <summary>The counts, with "today" meaning <paramref name="today"/>.</summary>
    public Task<StoreStats> GetStatsAsync(DateOnly today, CancellationToken cancellationToken);

    /// <summary>Every correction kept, oldest first.</summary>
    public IAsyncEnumerable<StoredCorrection> ReadCorrectionsAsync(CancellationToken cancellationToken);

    /// <summary>Checks that the store answers; throws when it does not.</summary>
    public Task PingAsync(CancellationToken cancellationToken);
}
