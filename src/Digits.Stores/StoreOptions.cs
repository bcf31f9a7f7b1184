namespace Digits.Stores;

/// <summary>
/// Where visits, prediction counts and corrections are kept. Bound from the <c>Store</c> configuration section:
/// SQLite in <see cref="Directory"/> by default, Redis when <see cref="Redis"/> is set.
/// </summary>
public sealed class StoreOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Store";

    /// <summary>The SQLite database's file name inside <see cref="Directory"/>.</summary>
    public const string SqliteFileName = "digits-web.db";

    /// <summary>
    /// The folder of the SQLite database. Defaults to the user's application-data folder (<c>~/.local/share/digits</c>
    /// on Linux), so that the web app and <c>digits feedback export</c> find the same corrections wherever they run.
    /// </summary>
    public string Directory { get; set; } = DefaultDirectory;

    /// <summary>A StackExchange.Redis connection string (e.g. <c>localhost:6379</c>); when set, Redis holds the state.</summary>
    public string? Redis { get; set; }

    /// <summary>The default <see cref="Directory"/>.</summary>
    public static string DefaultDirectory =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "digits");

    /// <summary>The SQLite database's path.</summary>
    public string SqlitePath => Path.Combine(Directory, SqliteFileName);

    /// <summary>Opens the store these options name: Redis when <see cref="Redis"/> is set, else SQLite.</summary>
    /// <exception cref="IOException">The store cannot be reached or opened.</exception>
    public IDigitsStore Open() => UsesRedis ? RedisStore.Connect(Redis!) : SqliteStore.Open(SqlitePath);

    /// <summary>True when <see cref="Redis"/> names a server, so that Redis holds the state.</summary>
    public bool UsesRedis => !string.IsNullOrWhiteSpace(Redis);
}
