using System.Net;
using System.Net.Http.Json;
using Digits.Core.Data;
using Digits.Core.Preprocessing;
using Digits.Stores;
using Digits.Tests.Support;
using Digits.Web.Api;
using Microsoft.Extensions.DependencyInjection;
using static Digits.Web.Tests.WebTestSupport;

namespace Digits.Web.Tests;

/// <summary>What the corrections store keeps: the decoded picture as a clean PNG, only the advertised formats, and no more than its cap.</summary>
public sealed class CorrectionStoreTests : IDisposable
{
    private readonly DigitsWebFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Feedback_PngWithBytesAppended_IsKeptAsTheCleanPngOfItsPixels()
    {
        byte[] png = TestPictures.CanvasPng(SharedPenDigits.Digits[0]);
        byte[] script = "<script>alert(1)</script>#!/bin/sh\nrm -rf /\n"u8.ToArray();
        string image = "data:image/png;base64," + Convert.ToBase64String([.. png, .. script]);

        using HttpResponseMessage response = await _factory.CreateClient().PostAsJsonAsync("/api/feedback", new { image, predicted = 1, correct = 2 }, Cancel);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        byte[] kept = Assert.Single(await Stored()).Correction.Image;
        Assert.DoesNotContain("alert", System.Text.Encoding.Latin1.GetString(kept), StringComparison.Ordinal);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, kept[..4]);
        Assert.Equal(ImageDecoder.Decode(png).Pixels.Select(GreyImage.ToByte), ImageDecoder.Decode(kept).Pixels.Select(GreyImage.ToByte));
    }

    [Fact]
    public async Task Feedback_FormatNotAdvertised_Is400AndNothingIsKept()
    {
        string image = "data:image/png;base64," + Convert.ToBase64String(HostilePictures.Wbmp(64, 64));

        using HttpResponseMessage response = await _factory.CreateClient().PostAsJsonAsync("/api/feedback", new { image, predicted = 1, correct = 2 }, Cancel);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "expected PNG, JPEG, BMP, WebP or GIF");
        Assert.Empty(await Stored());
    }

    [Fact]
    public async Task Feedback_PastTheCap_Is507AndTheStoreKeepsWhatItHad()
    {
        using var capped = new DigitsWebFactory(new() { ["Serve:MaxCorrections"] = "2" });
        HttpClient client = capped.CreateClient();
        string image = DataUrl(TestPictures.CanvasPng(SharedPenDigits.Digits[0]));
        var statuses = new List<HttpStatusCode>();

        for (int i = 0; i < 3; i++)
        {
            using HttpResponseMessage response = await client.PostAsJsonAsync("/api/feedback", new { image, predicted = 1, correct = 2 }, Cancel);
            statuses.Add(response.StatusCode);
            if (i == 2)
            {
                await AssertProblemAsync(response, HttpStatusCode.InsufficientStorage, "Serve:MaxCorrections");
            }
        }

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created, HttpStatusCode.InsufficientStorage], statuses);
        Assert.Equal(2, (await client.GetFromJsonAsync<StatsResponse>("/api/stats", Cancel))!.Corrections);
    }

    private async Task<List<StoredCorrection>> Stored()
    {
        var all = new List<StoredCorrection>();
        await foreach (StoredCorrection stored in _factory.Services.GetRequiredService<IDigitsStore>().ReadCorrectionsAsync(Cancel))
        {
            all.Add(stored);
        }
        return all;
    }
}
