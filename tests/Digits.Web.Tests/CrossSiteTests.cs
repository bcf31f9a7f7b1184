using System.Net;
using System.Net.Http.Json;
using Digits.Core.Data;
using Digits.Tests.Support;
using Digits.Web.Api;
using static Digits.Web.Tests.WebTestSupport;

namespace Digits.Web.Tests;

/// <summary>
/// What another web site's page can make a visitor's browser do here: post corrections and predictions (refused,
/// 403, nothing stored or counted), and load the page in a loop (one visit per address).
/// </summary>
public sealed class CrossSiteTests : IDisposable
{
    private readonly DigitsWebFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    public static TheoryData<string, string> OtherSites => new()
    {
        { "Sec-Fetch-Site", "cross-site" },
        { "Sec-Fetch-Site", "same-site" },
        { "Origin", "https://elsewhere.example" },
        { "Origin", "null" },
    };

    [Theory]
    [MemberData(nameof(OtherSites))]
    public async Task Feedback_FromAnotherSitesPage_Is403AndNothingIsStored(string header, string value)
    {
        HttpClient client = _factory.CreateClient();
        using HttpRequestMessage request = Correction();
        request.Headers.Add(header, value);

        using HttpResponseMessage response = await client.SendAsync(request, Cancel);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "another");
        Assert.Equal(0, (await client.GetFromJsonAsync<StatsResponse>("/api/stats", Cancel))!.Corrections);
    }

    [Fact]
    public async Task Feedback_FromThisSitesPageOrAProgram_IsStored()
    {
        HttpClient client = _factory.CreateClient();
        using HttpRequestMessage fromPage = Correction();
        fromPage.Headers.Add("Sec-Fetch-Site", "same-origin");
        fromPage.Headers.Add("Origin", "http://localhost");
        using HttpRequestMessage fromOlderBrowser = Correction();
        fromOlderBrowser.Headers.Add("Origin", "http://localhost");
        using HttpRequestMessage fromProgram = Correction();

        foreach (HttpRequestMessage request in new[] { fromPage, fromOlderBrowser, fromProgram })
        {
            using HttpResponseMessage response = await client.SendAsync(request, Cancel);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
        Assert.Equal(3, (await client.GetFromJsonAsync<StatsResponse>("/api/stats", Cancel))!.Corrections);
    }

    [Fact]
    public async Task Feedback_WithoutAContentType_Is415AndNothingIsStored()
    {
        // What fetch(url, {mode: "no-cors", body: blob}) sends from another page when the blob has no type.
        HttpClient client = _factory.CreateClient();
        using var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(CorrectionJson()));

        using HttpResponseMessage response = await client.PostAsync("/api/feedback", content, Cancel);

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "application/json");
        Assert.Equal(0, (await client.GetFromJsonAsync<StatsResponse>("/api/stats", Cancel))!.Corrections);
    }

    [Theory]
    [InlineData("/predict/")]
    [InlineData("/api/predict")]
    [InlineData("/api/explain")]
    public async Task Predictions_FromAnotherSitesForm_Are403AndNotCounted(string path)
    {
        // The bodies an HTML form on another site can post without asking: text/plain, and multipart with a file.
        HttpClient client = _factory.CreateClient();
        byte[] png = TestPictures.CanvasPng(SharedPenDigits.Digits[0]);
        using HttpContent body = path == "/predict/"
            ? new StringContent(DataUrl(png), System.Text.Encoding.ASCII, "text/plain")
            : new MultipartFormDataContent { { new ByteArrayContent(png), "image", "digit.png" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body };
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        request.Headers.Add("Origin", "https://elsewhere.example");

        using HttpResponseMessage response = await client.SendAsync(request, Cancel);

        await AssertProblemAsync(response, HttpStatusCode.Forbidden, "another web site");
        Assert.Equal(0, (await client.GetFromJsonAsync<StatsResponse>("/api/stats", Cancel))!.Predictions);
    }

    [Fact]
    public async Task Page_LoadedInALoop_CountsOneVisitPerAddress()
    {
        HttpClient client = _factory.CreateClient();

        await Task.WhenAll(Enumerable.Range(0, 300).Select(i => LoadPageAsync(client, i % 3 == 0 ? "10.0.0.1" : "10.0.0.2")));

        StatsResponse stats = (await client.GetFromJsonAsync<StatsResponse>("/api/stats", Cancel))!;
        Assert.Equal(new VisitCounts(2, 2), stats.Visits);
    }

    private static HttpRequestMessage Correction() => new(HttpMethod.Post, "/api/feedback")
    {
        Content = new StringContent(CorrectionJson(), System.Text.Encoding.UTF8, "application/json"),
    };
}
