using Digits.Stores;
using Digits.Tests.Support;

namespace Digits.Stores.Tests;

/// <summary>The contract against a real SQLite file.</summary>
public sealed class SqliteStoreTests : StoreContractTests, IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    protected override IDigitsStore Open() => new StoreOptions { Directory = _folder.File("nested") }.Open();

    protected override string ExpectedKind => "sqlite";

    [Fact]
    public void Open_FileThatIsNotADatabase_SaysSoAndWhatToDo()
    {
        string path = _folder.Write(StoreOptions.SqliteFileName, new string('x', 4096));

        var error = Assert.Throws<IOException>(() => SqliteStore.Open(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("Store:Directory", error.Message, StringComparison.Ordinal);
    }
}
