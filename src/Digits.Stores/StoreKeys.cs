using System.Globalization;
using Microsoft.Data.Sqlite;
using StackExchange.Redis;

namespace Digits.Stores;

/// <summary>What every store shares: the names of its counters and the failures of a store that is down.</summary>
public static class StoreKeys
{
    /// <summary>The name of the counter of <paramref name="day"/>'s visits, <c>visits:yyyy-MM-dd</c>, that every store keeps.</summary>
    public static string DayKey(DateOnly day) => "visits:" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The failures of an unreachable or busy store.</summary>
    public static bool IsStoreFailure(Exception e) => e is RedisException or SqliteException or TimeoutException or IOException;
}
