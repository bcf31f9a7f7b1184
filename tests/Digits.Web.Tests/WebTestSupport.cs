using System.Net;
using System.Text.Json;
using Digits.Core.Data;
using Digits.Tests.Support;

namespace Digits.Web.Tests;

/// <summary>What the web tests share: the test's cancellation, pictures as data URLs, and the check of a refusal.</summary>
internal static class WebTestSupport
{
    /// <summary>The running test's cancellation token.</summary>
    public static CancellationToken Cancel => TestContext.Current.CancellationToken;

    /// <summary>A PNG as the data URL a canvas gives (<c>canvas.toDataURL()</c>).</summary>
    public static string DataUrl(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);

    /// <summary>A correction as the page sends it: the first pen digit's canvas PNG, a wrong prediction and its true digit.</summary>
    public static string CorrectionJson()
    {
        PenDigit digit = SharedPenDigits.Digits[0];
        string image = DataUrl(TestPictures.CanvasPng(digit));
        return $"{{\"image\": \"{image}\", \"predicted\": {(digit.Label + 1) % 10}, \"correct\": {digit.Label}}}";
    }

    /// <summary>Loads the page as the client at <paramref name="address"/> (see <see cref="DigitsWebFactory.ClientHeader"/>).</summary>
    public static async Task LoadPageAsync(HttpClient client, string address)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add(DigitsWebFactory.ClientHeader, address);
        using HttpResponseMessage response = await client.SendAsync(request, Cancel);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Checks a refusal: the status, ProblemDetails JSON with a detail a person reads, no stack trace.</summary>
    public static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string saying)
    {
        ArgumentNullException.ThrowIfNull(response);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        string text = await response.Content.ReadAsStringAsync(Cancel);
        using JsonDocument problem = JsonDocument.Parse(text);
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(saying, problem.RootElement.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" at Digits.", text, StringComparison.Ordinal);
    }
}
