using System.Runtime.CompilerServices;
using System.Text.Json;
using StackExchange.Redis;

namespace Digits.Stores;

/// <summary>
/// The shared store, for several instances behind a load balancer: counters are Redis INCRs (atomic on the server),
/// and each correction is one JSON entry in a list whose place in the list is its id.
/// </summary>
public sealed class RedisStore : IDigitsStore
{
    /// <summary>Every key this store writes starts with this.</summary>
    public const string KeyPrefix = "digits:";

    private static readonly RedisKey s_totalVisits = KeyPrefix + "visits:total";
    private static readonly RedisKey s_predictions = KeyPrefix + "predictions";
    private static readonly RedisKey s_corrections = KeyPrefix + "corrections";

    private readonly ConnectionMultiplexer _redis;
    private readonly IDatabase _db;

    private RedisStore(ConnectionMultiplexer redis)
    {
        _redis = redis;
        _db = redis.GetDatabase();
    }

    /// <inheritdoc />
    public string Kind => "redis";

    /// <summary>Connects to the Redis server named by <paramref name="configuration"/>.</summary>
    /// <exception cref="IOException">No server answers there.</exception>
    public static RedisStore Connect(string configuration)
    {
        try
        {
            return new RedisStore(ConnectionMultiplexer.Connect(configuration));
        }
        catch (RedisConnectionException e)
        {
            // The client's message is advice to programmers (abortConnect=false); the person needs the address and what to do.
            string where = Addresses(configuration);
            throw new IOException(e.FailureType == ConnectionFailureType.AuthenticationFailure
                ? $"The Redis server at {where} (Store:Redis) refused the password; give the right one in the connection string (password=...)."
                : $"No Redis server answers at {where} (Store:Redis); start one there, or give the address of a running one.", e);
        }
    }

    /// <summary>The servers a connection string names, without its password or other settings, for messages.</summary>
    private static string Addresses(string configuration) =>
        string.Join(", ", ConfigurationOptions.Parse(configuration).EndPoints.Select(endpoint => $"'{EndPointCollection.ToString(endpoint)}'"));

    /// <inheritdoc />
    public async Task RecordVisitAsync(DateOnly day, CancellationToken cancellationToken)
    {
        // Both increments go in one MULTI/EXEC, so the total and the day never disagree.
        ITransaction transaction = _db.CreateTransaction();
        Task<long> total = transaction.StringIncrementAsync(s_totalVisits);
        Task<long> today = transaction.StringIncrementAsync(DayKey(day));
        await transaction.ExecuteAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(total, today).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task RecordPredictionAsync(CancellationToken cancellationToken) =>
        _db.StringIncrementAsync(s_predictions).WaitAsync(cancellationToken);

    /// <inheritdoc />
    public async Task<CorrectionAdded?> AddCorrectionAsync(Correction correction, long limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(correction);
        // The list only grows, so the length RPUSH returns is the entry's place: an id unique and in order. The script
        // runs on the server as one step, so the limit holds under concurrency; it answers 0 when the list is full.
        string entry = JsonSerializer.Serialize(correction, JsonSerializerOptions.Web);
        RedisResult length = await _db.ScriptEvaluateAsync(
            "if redis.call('LLEN', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end return redis.call('RPUSH', KEYS[1], ARGV[1])",
            [s_corrections], [entry, limit]).WaitAsync(cancellationToken).ConfigureAwait(false);
        long id = (long)length;
        return id == 0 ? null : new CorrectionAdded(id, id);
    }

    /// <inheritdoc />
    public async Task<StoreStats> GetStatsAsync(DateOnly today, CancellationToken cancellationToken)
    {
        RedisValue[] counts = await _db.StringGetAsync([s_totalVisits, DayKey(today), s_predictions]).WaitAsync(cancellationToken).ConfigureAwait(false);
        long corrections = await _db.ListLengthAsync(s_corrections).WaitAsync(cancellationToken).ConfigureAwait(false);
        return new StoreStats(Count(counts[0]), Count(counts[1]), Count(counts[2]), corrections);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredCorrection> ReadCorrectionsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const int Page = 256;
        for (long start = 0; ; start += Page)
        {
            RedisValue[] entries = await _db.ListRangeAsync(s_corrections, start, start + Page - 1).WaitAsync(cancellationToken).ConfigureAwait(false);
            for (int i = 0; i < entries.Length; i++)
            {
                Correction correction = JsonSerializer.Deserialize<Correction>(entries[i].ToString(), JsonSerializerOptions.Web)
                    ?? throw new InvalidDataException($"A correction in Redis list '{s_corrections}' is empty.");
                yield return new StoredCorrection(start + i + 1, correction);
            }
            if (entries.Length < Page)
            {
                yield break;
            }
        }
    }

    /// <inheritdoc />
    public Task PingAsync(CancellationToken cancellationToken) => _db.PingAsync().WaitAsync(cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _redis.Dispose();

    private static RedisKey DayKey(DateOnly day) => KeyPrefix + StoreKeys.DayKey(day);

    private static long Count(RedisValue value) => value.IsNull ? 0 : (long)value;
}
