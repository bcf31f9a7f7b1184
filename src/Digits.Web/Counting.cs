using Digits.Stores;

namespace Digits.Web;

/// <summary>Counts visits and predictions without making them depend on the store: a store that is down loses a count, not an answer.</summary>
internal static class Counting
{
    /// <summary>Runs <paramref name="count"/>; a store failure is logged as a warning and the request goes on.</summary>
    public static async Task BestEffortAsync(Func<Task> count, ILogger logger)
    {
        try
        {
            await count().ConfigureAwait(false);
        }
        catch (Exception e) when (StoreKeys.IsStoreFailure(e))
        {
            Log.CountLost(logger, e);
        }
    }
}
