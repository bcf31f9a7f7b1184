using System.Net;
using System.Net.Http.Json;
using Digits.Stores.Tests;
using Digits.Web.Api;
using static Digits.Web.Tests.WebTestSupport;

namespace Digits.Web.Tests;

/// <summary>The web app on a real Redis server: two instances sharing it, and the server going away under it.</summary>
public sealed class RedisAppTests : IClassFixture<RedisServer>
{
    private readonly RedisServer _redis;

    public RedisAppTests(RedisServer redis)
    {
        _redis = redis;
        _redis.Flush();
    }

    [Fact]
    public async Task TwoInstances_ShareVisitsAndCorrections()
    {
        using var first = new DigitsWebFactory(new() { ["Store:Redis"] = _redis.Configuration });
        using var second = new DigitsWebFactory(new() { ["Store:Redis"] = _redis.Configuration });
        HttpClient a = first.CreateClient();
        HttpClient b = second.CreateClient();

        // 100 visitors, each loading the page twice on one of the two instances: a visit each, counted in the shared store.
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => LoadPageAsync(i / 2 % 2 == 0 ? a : b, $"10.0.0.{i / 2}")));

        StatsResponse fromA = (await a.GetFromJsonAsync<StatsResponse>("/api/stats", Cancel))!;
        StatsResponse fromB = (await b.GetFromJsonAsync<StatsResponse>("/api/stats", Cancel))!;
        Assert.Equal(100, fromA.Visits.Total);
        Assert.Equal(fromA, fromB);
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync("/health/ready", Cancel)).StatusCode);
    }

    [Fact]
    public async Task RedisGoesDown_PredictionsStillAnswer_AndReadinessSaysSoWithoutDetails()
    {
        using var own = new RedisServer();
        using var app = new DigitsWebFactory(new() { ["Store:Redis"] = $"{own.Configuration},asyncTimeout=500,syncTimeout=500,abortConnect=false" });
        HttpClient client = app.CreateClient();
        (await client.PostAsJsonAsync("/api/predict", new { pixels = new float[784] }, Cancel)).EnsureSuccessStatusCode();

        own.Dispose();
        using HttpResponseMessage answer = await client.PostAsJsonAsync("/api/predict", new { pixels = new float[784] }, Cancel);
        using HttpResponseMessage ready = await client.GetAsync("/health/ready", Cancel);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        string report = await ready.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("redis does not answer", report, StringComparison.Ordinal);
        Assert.DoesNotContain(own.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), report, StringComparison.Ordinal);
    }
}
