using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Digits.Web.Tests.WebTestSupport;

namespace Digits.Web.Tests;

/// <summary>The headers that keep the page to itself, a page that needs no inline code, and the connection limits.</summary>
public sealed partial class SecurityHeadersTests : IDisposable
{
    private readonly DigitsWebFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Theory]
    [InlineData("/")]
    [InlineData("/app.js")]
    [InlineData("/api/model")]
    public async Task Answers_CarryAPolicyWithoutInlineCodeAndTheOtherHeaders(string path)
    {
        using HttpResponseMessage response = await _factory.CreateClient().GetAsync(path, Cancel);

        response.EnsureSuccessStatusCode();
        string policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }

    [Fact]
    public async Task Refusals_CarryTheHeadersToo()
    {
        using HttpResponseMessage response = await _factory.CreateClient().PostAsJsonAsync("/api/predict", new { pixels = new float[3] }, Cancel);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
    }

    [GeneratedRegex("<script(?![^>]*\\bsrc=)[^>]*>|<style|\\sstyle=|\\son[a-z]+=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineCode();

    [Fact]
    public async Task Page_HasNoInlineScriptStyleOrHandler_SoThePolicyNeedsNone()
    {
        string page = await _factory.CreateClient().GetStringAsync("/", Cancel);

        Assert.Contains("<script src=\"/app.js\"", page, StringComparison.Ordinal);
        Assert.Empty(InlineCode().Matches(page));
    }

    [Fact]
    public void Kestrel_CapsConnectionsAndClosesIdleOnesSoon_AsConfigured()
    {
        using var configured = new DigitsWebFactory(new() { ["Serve:MaxConnections"] = "7", ["Serve:KeepAliveSeconds"] = "3" });

        KestrelServerLimits defaults = _factory.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;
        KestrelServerLimits set = configured.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;

        Assert.Equal((1000L, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15)), (defaults.MaxConcurrentConnections, defaults.KeepAliveTimeout, defaults.RequestHeadersTimeout));
        Assert.Equal((7L, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3)), (set.MaxConcurrentConnections, set.KeepAliveTimeout, set.RequestHeadersTimeout));
    }
}
