using Digits.Stores;

namespace Digits.Stores.Tests;

/// <summary>The contract against a real Redis server.</summary>
public sealed class RedisStoreTests : StoreContractTests, IClassFixture<RedisServer>
{
    private readonly RedisServer _redis;

    public RedisStoreTests(RedisServer redis)
    {
        _redis = redis;
        _redis.Flush();
    }

    protected override IDigitsStore Open() => new StoreOptions { Redis = _redis.Configuration, Directory = "unused" }.Open();

    protected override string ExpectedKind => "redis";

    [Fact]
    public void Connect_NoServerThere_SaysWhere()
    {
        var error = Assert.Throws<IOException>(() => RedisStore.Connect("127.0.0.1:1,connectTimeout=200"));

        Assert.Equal("No Redis server answers at '127.0.0.1:1' (Store:Redis); start one there, or give the address of a running one.", error.Message);
    }
}
