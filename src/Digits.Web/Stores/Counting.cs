using System.Globalization;
using Microsoft.Data.Sqlite;
using StackExchange.Redis;

namespace Digits.Web.Stores;

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
        catch (Exception e) when (IsStoreFailure(e))
        {
            Log.CountLost(logger, e);
        }
    }

    /// <summary>The name of the counter of <paramref name="day"/>'s visits, <c>visits:yyyy-MM-dd</c>, that every store keeps.</summary>
    public static string DayKey(DateOnly day) => "visits:" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The failures of an unreachable or busy store.</summary>
    public static bool IsStoreFailure(Exception e) => e is RedisException or SqliteException or TimeoutException or IOException;
}
