using System.Net;
using System.Net.Http.Json;
using Digits.Core.Data;
using Digits.Tests.Support;
using Digits.Web.Api;
using Microsoft.Extensions.Options;
using static Digits.Web.Tests.WebTestSupport;

namespace Digits.Web.Tests;

/// <summary>Behind a reverse proxy: forwarded client addresses taken only from trusted proxies; and the optional API key.</summary>
public sealed class ProxyAndApiKeyTests
{
    private const string Key = "a-key-of-twenty-chars";

    [Theory]
    [InlineData("10.0.0.9", 2)]
    [InlineData(null, 1)]
    [InlineData("10.0.0.8", 1)]
    public async Task Visits_ThroughAProxy_CountForwardedClientsOnlyWhenTheProxyIsTrusted(string? trusted, int visits)
    {
        using var factory = new DigitsWebFactory(new() { ["Serve:TrustedProxies"] = trusted });
        HttpClient client = factory.CreateClient();

        // Two clients behind the proxy at 10.0.0.9, each loading the page twice.
        foreach (string forwarded in new[] { "203.0.113.1", "203.0.113.2", "203.0.113.1", "203.0.113.2" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/");
            request.Headers.Add(DigitsWebFactory.ClientHeader, "10.0.0.9");
            request.Headers.Add("X-Forwarded-For", forwarded);
            using HttpResponseMessage response = await client.SendAsync(request, Cancel);
            response.EnsureSuccessStatusCode();
        }

        StatsResponse stats = (await client.GetFromJsonAsync<StatsResponse>("/api/stats", Cancel))!;
        Assert.Equal(visits, stats.Visits.Total);
    }

    [Theory]
    [InlineData(null, null, "evil.example", HttpStatusCode.BadRequest)]
    [InlineData(null, null, "localhost", HttpStatusCode.OK)]
    [InlineData(null, null, "127.0.0.1", HttpStatusCode.OK)]
    [InlineData("http://127.0.0.1:5000;http://[::1]:5000", null, "evil.example", HttpStatusCode.BadRequest)]
    [InlineData("http://0.0.0.0:5000", null, "evil.example", HttpStatusCode.OK)]
    [InlineData("http://+:80", null, "digits.example", HttpStatusCode.OK)]
    [InlineData("http://0.0.0.0:5000", "digits.example", "evil.example", HttpStatusCode.BadRequest)]
    [InlineData("http://0.0.0.0:5000", "digits.example", "digits.example", HttpStatusCode.OK)]
    [InlineData("http_ports=8080", null, "digits.example", HttpStatusCode.OK)]
    public async Task Host_OnlyThisMachinesNamesWhenListeningOnlyOnLoopback_UnlessAllowedHostsSaysOtherwise(string? urls, string? allowed, string host, HttpStatusCode status)
    {
        // A page at evil.example whose name its owner points at 127.0.0.1 (DNS rebinding) sends Host: evil.example.
        // "http_ports=N" stands for ports set as containers set them (ASPNETCORE_HTTP_PORTS), which listen everywhere.
        Dictionary<string, string?> settings = urls?.StartsWith("http_ports=", StringComparison.Ordinal) == true
            ? new() { ["http_ports"] = urls["http_ports=".Length..], ["AllowedHosts"] = allowed }
            : new() { ["urls"] = urls, ["AllowedHosts"] = allowed };
        using var factory = new DigitsWebFactory(settings);
        HttpClient client = factory.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/model");
        request.Headers.Host = host;

        using HttpResponseMessage response = await client.SendAsync(request, Cancel);

        Assert.Equal(status, response.StatusCode);
    }

    [Fact]
    public void Start_AnAddressToListenOnThatIsNotOne_FailsInOneLine()
    {
        var error = Assert.Throws<FormatException>(() => DigitsWebApp.Create(["--urls=localhost:5000"]));

        Assert.True(DigitsWebApp.IsStartupError(error));
        Assert.Equal("'localhost:5000' is not an address to listen on; give one such as http://localhost:5000 or http://0.0.0.0:8080 (several separated by ';').", error.Message);
    }

    [Fact]
    public void Start_TrustedProxiesThatAreNotAddresses_FailsInOneLine()
    {
        var error = Assert.Throws<OptionsValidationException>(() => DigitsWebApp.Create(["--Serve:TrustedProxies=127.0.0.1, proxy.local"]));
        Assert.True(DigitsWebApp.IsStartupError(error));
        Assert.Contains("Serve:TrustedProxies takes IP addresses separated by commas, as in 127.0.0.1,10.0.0.5; 'proxy.local' is not one.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_AShortApiKey_FailsInOneLine()
    {
        var error = Assert.Throws<OptionsValidationException>(() => DigitsWebApp.Create(["--Serve:ApiKey=short"]));
        Assert.Contains("Serve:ApiKey must be at least 16 characters long.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiKey_WhenSet_GuardsCorrectionsAndCountsButNotThePageOrPredictions()
    {
        using var factory = new DigitsWebFactory(new() { ["Serve:ApiKey"] = Key });
        HttpClient client = factory.CreateClient();

        foreach (string? key in new[] { null, "", "a-key-of-twenty-chart", Key[..^1] })
        {
            using HttpResponseMessage refused = await client.SendAsync(Correction(key), Cancel);
            await AssertProblemAsync(refused, HttpStatusCode.Unauthorized, "X-Api-Key");
            using HttpResponseMessage counts = await client.SendAsync(Stats(key), Cancel);
            await AssertProblemAsync(counts, HttpStatusCode.Unauthorized, "API key");
        }
        using HttpResponseMessage stored = await client.SendAsync(Correction(Key), Cancel);
        using HttpResponseMessage page = await client.GetAsync("/", Cancel);
        using HttpResponseMessage predicted = await client.PostAsJsonAsync("/api/predict", new { pixels = new float[784] }, Cancel);
        using HttpResponseMessage stats = await client.SendAsync(Stats(Key), Cancel);

        Assert.Equal(HttpStatusCode.Created, stored.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.OK, predicted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        Assert.Equal(1, (await stats.Content.ReadFromJsonAsync<StatsResponse>(Cancel))!.Corrections);
    }

    private static HttpRequestMessage Stats(string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/stats");
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }
        return request;
    }

    private static HttpRequestMessage Correction(string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/feedback") { Content = new StringContent(CorrectionJson(), System.Text.Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }
        return request;
    }
}
