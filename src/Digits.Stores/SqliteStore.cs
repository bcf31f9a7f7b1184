using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Digits.Stores;

/// <summary>
/// The embedded store: one SQLite file, created at start. One connection serves the process, one command at a
/// time; counters are incremented by SQL (<c>value = value + 1</c>), so they are exact, and WAL journaling with a
/// busy timeout lets another process (<c>digits feedback export</c>) read while the app runs.
/// </summary>
public sealed class SqliteStore : IDigitsStore
{
    private const string TotalVisits = "visits";
    private const string Predictions = "predictions";

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private SqliteStore(SqliteConnection connection) => _connection = connection;

    /// <inheritdoc />
    public string Kind => "sqlite";

    /// <summary>Opens (creating when needed) the database at <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The folder cannot be created or the file is not a usable database.</exception>
    public static SqliteStore Open(string path)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, DefaultTimeout = 30, Pooling = false };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            Execute(connection, """
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = NORMAL;
                PRAGMA busy_timeout = 30000;
                CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS corrections (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    image BLOB NOT NULL,
                    predicted INTEGER NOT NULL,
                    correct INTEGER NOT NULL,
                    model_id TEXT NOT NULL,
                    created_at TEXT NOT NULL);
                """);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new IOException($"The store '{Path.GetFullPath(path)}' cannot be opened as a SQLite database: {e.Message} Move it away or set Store:Directory.", e);
        }
        return new SqliteStore(connection);
    }

    /// <inheritdoc />
    public Task RecordVisitAsync(DateOnly day, CancellationToken cancellationToken) =>
        RunAsync(() => Execute(_connection, """
            INSERT INTO counters (name, value) VALUES ($total, 1), ($day, 1)
            ON CONFLICT (name) DO UPDATE SET value = value + 1;
            """, ("$total", TotalVisits), ("$day", StoreKeys.DayKey(day))), cancellationToken);

    /// <inheritdoc />
    public Task RecordPredictionAsync(CancellationToken cancellationToken) =>
        RunAsync(() => Execute(_connection, """
            INSERT INTO counters (name, value) VALUES ($name, 1)
            ON CONFLICT (name) DO UPDATE SET value = value + 1;
            """, ("$name", Predictions)), cancellationToken);

    /// <inheritdoc />
    public Task<CorrectionAdded?> AddCorrectionAsync(Correction correction, long limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(correction);
        return RunAsync(() =>
        {
            // One immediate transaction (the write lock taken first), so another process writing the same file cannot
            // slip in between the count and the insert.
            using SqliteTransaction transaction = _connection.BeginTransaction(deferred: false);
            using SqliteCommand count = Command(_connection, "SELECT count(*) FROM corrections;");
            long held = Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
            if (held >= limit)
            {
                return null;
            }
            using SqliteCommand command = Command(_connection, """
                INSERT INTO corrections (image, predicted, correct, model_id, created_at)
                VALUES ($image, $predicted, $correct, $model, $at)
                RETURNING id;
                """,
                ("$image", correction.Image), ("$predicted", correction.Predicted), ("$correct", correction.Correct),
                ("$model", correction.ModelId), ("$at", correction.CreatedAt.ToString("O", CultureInfo.InvariantCulture)));
            long id = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            transaction.Commit();
            return new CorrectionAdded(id, held + 1);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<StoreStats> GetStatsAsync(DateOnly today, CancellationToken cancellationToken) =>
        RunAsync(() =>
        {
            using SqliteCommand command = Command(_connection, """
                SELECT
                    (SELECT value FROM counters WHERE name = $total),
                    (SELECT value FROM counters WHERE name = $day),
                    (SELECT value FROM counters WHERE name = $predictions),
                    (SELECT count(*) FROM corrections);
                """, ("$total", TotalVisits), ("$day", StoreKeys.DayKey(today)), ("$predictions", Predictions));
            using SqliteDataReader reader = command.ExecuteReader();
            reader.Read();
            long Value(int column) => reader.IsDBNull(column) ? 0 : reader.GetInt64(column);
            return new StoreStats(Value(0), Value(1), Value(2), Value(3));
        }, cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<StoredCorrection> ReadCorrectionsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Read in pages so that neither a long export holds the connection nor all images sit in memory at once.
        const int Page = 256;
        long after = 0;
        while (true)
        {
            List<StoredCorrection> page = await RunAsync(() => ReadPage(after, Page), cancellationToken).ConfigureAwait(false);
            foreach (StoredCorrection correction in page)
            {
                yield return correction;
            }
            if (page.Count < Page)
            {
                yield break;
            }
            after = page[^1].Id;
        }
    }

    /// <inheritdoc />
    public Task PingAsync(CancellationToken cancellationToken) =>
        RunAsync(() => Execute(_connection, "SELECT 1;"), cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
    }

    private List<StoredCorrection> ReadPage(long after, int size)
    {
        using SqliteCommand command = Command(_connection, """
            SELECT id, image, predicted, correct, model_id, created_at FROM corrections
            WHERE id > $after ORDER BY id LIMIT $size;
            """, ("$after", after), ("$size", size));
        using SqliteDataReader reader = command.ExecuteReader();
        var page = new List<StoredCorrection>();
        while (reader.Read())
        {
            var correction = new Correction(
                (byte[])reader.GetValue(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetString(4),
                DateTimeOffset.Parse(reader.GetString(5), CultureInfo.InvariantCulture));
            page.Add(new StoredCorrection(reader.GetInt64(0), correction));
        }
        return page;
    }

    private async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return work();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RunAsync(Action work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            work();
        }
        finally
        {
            _gate.Release();
        }
    }

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using SqliteCommand command = Command(connection, sql, parameters);
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        foreach ((string name, object value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return command;
    }
}
