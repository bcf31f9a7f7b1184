using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Digits.Core.Data;
using Digits.Core.Inference;
using Digits.Core.Persistence;
using Digits.Core.Preprocessing;
using Digits.Tests.Support;
using Digits.Web.Api;
using SkiaSharp;
using static Digits.Web.Tests.WebTestSupport;

namespace Digits.Web.Tests;

/// <summary>The page, the model's description, the counts, corrections, health and the API's description.</summary>
public sealed class SiteApiTests : IDisposable
{
    private readonly DigitsWebFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Page_IsServedWithItsOwnScriptsAndCountsOneVisitForTwoLoads()
    {
        HttpClient client = _factory.CreateClient();
        string page = await client.GetStringAsync("/", Cancel);
        await client.GetStringAsync("/", Cancel);
        StatsResponse stats = (await client.GetFromJsonAsync<StatsResponse>("/api/stats", Cancel))!;

        Assert.Contains("<canvas", page, StringComparison.Ordinal);
        Assert.Contains("src=\"/app.js\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("http", page.Replace("http-equiv", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/app.js", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/app.css", Cancel)).StatusCode);
        // Two loads from one address within half an hour are one visit.
        Assert.Equal(new VisitCounts(1, 1), stats.Visits);
    }

    [Fact]
    public async Task Model_DescribesTheShippedModel()
    {
        ModelInfo model = (await _factory.CreateClient().GetFromJsonAsync<ModelInfo>("/api/model", Cancel))!;

        Assert.Equal("digitnet", model.Architecture);
        Assert.StartsWith("digitnet-", model.Id, StringComparison.Ordinal);
        Assert.Equal(382_890, model.Parameters);
        // The file's own figure, which ShippedModelTests measures on the 10,000 test images (99.33%).
        Assert.Equal(ModelFile.Load(ShippedModel.Locate()).Manifest.Metrics[ModelManifest.TestAccuracy], model.TestAccuracy);
        Assert.InRange(model.NotSureBelow, 0.01, 0.99);
    }

    [Fact]
    public async Task Feedback_IsStoredCountedAndSurvivesARestart()
    {
        PenDigit digit = SharedPenDigits.Digits[0];
        string image = DataUrl(TestPictures.CanvasPng(digit));
        using var store = new TempDirectory();
        int wrong = (digit.Label + 1) % 10;
        HttpResponseMessage response;
        FeedbackResponse saved;
        using (var first = new DigitsWebFactory(new() { ["Store:Directory"] = store.Path }))
        {
            response = await first.CreateClient().PostAsJsonAsync("/api/feedback", new { image, predicted = wrong, correct = digit.Label }, Cancel);
            saved = (await response.Content.ReadFromJsonAsync<FeedbackResponse>(Cancel))!;
        }

        using var restarted = new DigitsWebFactory(new() { ["Store:Directory"] = store.Path });
        StatsResponse stats = (await restarted.CreateClient().GetFromJsonAsync<StatsResponse>("/api/stats", Cancel))!;
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, saved.Corrections);
        Assert.Equal(1, stats.Corrections);
    }

    public static TheoryData<string, HttpStatusCode, string> BadFeedback => new()
    {
        { "{\"image\": \"data:image/png;base64,iVBORw0KGgo=\", \"predicted\": 1, \"correct\": 7}", HttpStatusCode.BadRequest, "Not an image" },
        { "{\"image\": \"\", \"predicted\": 1, \"correct\": 7}", HttpStatusCode.BadRequest, "No image" },
        { "{\"image\": \"x\", \"predicted\": 1, \"correct\": 12}", HttpStatusCode.BadRequest, "\"correct\" must be a digit" },
        { "{\"image\": \"x\", \"correct\": 3}", HttpStatusCode.BadRequest, "\"predicted\" must be a digit" },
        { "[1, 2]", HttpStatusCode.BadRequest, "JSON" },
    };

    [Theory]
    [MemberData(nameof(BadFeedback))]
    public async Task Feedback_BadInput_IsRefusedAndNothingIsStored(string body, HttpStatusCode status, string saying)
    {
        HttpClient client = _factory.CreateClient();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await client.PostAsync("/api/feedback", content, Cancel);

        await AssertProblemAsync(response, status, saying);
        Assert.Equal(0, (await client.GetFromJsonAsync<StatsResponse>("/api/stats", Cancel))!.Corrections);
    }

    [Fact]
    public async Task Feedback_OfABlankCanvasOrATap_IsRefusedAndNothingIsStored()
    {
        HttpClient client = _factory.CreateClient();
        byte[] blank = TestPictures.Encode(new GreyImage(280, 280, [.. Enumerable.Repeat(1f, 280 * 280)]), SKEncodedImageFormat.Png);
        byte[] tap = TestPictures.Encode(StrokeRenderer.Render([[new SKPoint(140, 140)]], 280, 280, PageCanvas.PenWidth), SKEncodedImageFormat.Png);

        foreach (byte[] nothing in new[] { blank, tap })
        {
            using var content = new StringContent($"{{\"image\": \"{DataUrl(nothing)}\", \"predicted\": 1, \"correct\": 7}}", System.Text.Encoding.UTF8, "application/json");
            using HttpResponseMessage response = await client.PostAsync("/api/feedback", content, Cancel);
            await AssertProblemAsync(response, HttpStatusCode.BadRequest, "A correction needs a drawn digit");
        }
        Assert.Equal(0, (await client.GetFromJsonAsync<StatsResponse>("/api/stats", Cancel))!.Corrections);
    }

    [Fact]
    public async Task Feedback_PictureOverTheKeptSize_Is413()
    {
        using var small = new DigitsWebFactory(new() { ["Serve:MaxCorrectionBytes"] = "2048" });
        PenDigit digit = SharedPenDigits.Digits[0];
        string image = DataUrl(TestPictures.CanvasPng(digit));

        using HttpResponseMessage response = await small.CreateClient().PostAsJsonAsync("/api/feedback", new { image, predicted = 1, correct = 2 }, Cancel);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "2,048 bytes");
    }

    [Fact]
    public async Task Feedback_NotJson_Is415SayingWhatToSend()
    {
        using var content = new StringContent("7", System.Text.Encoding.UTF8, "text/plain");
        using HttpResponseMessage response = await _factory.CreateClient().PostAsync("/api/feedback", content, Cancel);

        await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "Send JSON");
    }

    [Fact]
    public async Task Predictions_AreCounted()
    {
        HttpClient client = _factory.CreateClient();
        for (int i = 0; i < 3; i++)
        {
            (await client.PostAsJsonAsync("/api/predict", new { pixels = new float[784] }, Cancel)).EnsureSuccessStatusCode();
        }
        (await client.PostAsJsonAsync("/api/predict", new { pixels = new float[3] }, Cancel)).Dispose();

        Assert.Equal(3, (await client.GetFromJsonAsync<StatsResponse>("/api/stats", Cancel))!.Predictions);
    }

    [Fact]
    public async Task Health_LiveAndReady_NameTheModelAndStore()
    {
        HttpClient client = _factory.CreateClient();
        using HttpResponseMessage live = await client.GetAsync("/health/live", Cancel);
        using JsonDocument ready = JsonDocument.Parse(await client.GetStringAsync("/health/ready", Cancel));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", ready.RootElement.GetProperty("status").GetString());
        Assert.StartsWith("digitnet-", ready.RootElement.GetProperty("checks").GetProperty("model").GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("sqlite", ready.RootElement.GetProperty("checks").GetProperty("store").GetProperty("description").GetString());
    }

    [Fact]
    public async Task OpenApi_DescribesEveryEndpoint_AndTheBrowsablePageIsServedLocally()
    {
        HttpClient client = _factory.CreateClient();
        using JsonDocument document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json", Cancel));
        string docs = await client.GetStringAsync("/api/docs/index.html", Cancel);

        JsonElement paths = document.RootElement.GetProperty("paths");
        foreach (string path in new[] { "/api/predict", "/predict", "/api/model", "/api/feedback", "/api/stats", "/health/live", "/health/ready" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is not in the OpenAPI document");
        }
        // Groups named for people, not after the classes that map them ("SiteEndpoints").
        string[] tags = [.. paths.EnumerateObject().SelectMany(p => p.Value.EnumerateObject()).SelectMany(o => o.Value.GetProperty("tags").EnumerateArray()).Select(t => t.GetString()!).Distinct().Order()];
        Assert.Equal(["Health", "Model, counts and corrections", "Reading digits"], tags);
        Assert.True(paths.GetProperty("/api/predict").GetProperty("post").GetProperty("requestBody").GetProperty("content").TryGetProperty("multipart/form-data", out _));
        Assert.Contains("swagger-ui", docs, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("https://", docs, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_MissingModel_StopsWithAClearMessage()
    {
        using var folder = new TempDirectory();
        string missing = folder.File("gone.digits");

        var error = Assert.Throws<FileNotFoundException>(() => DigitsWebApp.Create([$"--Serve:ModelPath={missing}", $"--Store:Directory={folder.Path}"]));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
        Assert.True(DigitsWebApp.IsStartupError(error));
    }

    [Fact]
    public void Start_CorruptModel_StopsWithAClearMessage()
    {
        using var folder = new TempDirectory();
        string corrupt = folder.Write("bad.digits", "not a model");

        var error = Assert.Throws<InvalidDataException>(() => DigitsWebApp.Create([$"--Serve:ModelPath={corrupt}", $"--Store:Directory={folder.Path}"]));

        Assert.True(DigitsWebApp.IsStartupError(error));
    }

    [Fact]
    public void Start_ModelForOtherPictures_SaysWhatItTakes()
    {
        // Moved with the check from the predictor, which now answers for any model, to the web app, which reads digits.
        using var folder = new TempDirectory();
        var definition = new Core.Models.ModelDefinition("colour", "3-channel test net", new Core.Models.NetworkSpec([new Core.Models.FlattenLayer(), new Core.Models.DenseLayer(2)]) { Input = [3, 8, 8], Classes = 2 }, null, Core.Models.ModelDefinition.DefaultRecipe);
        using (var session = Core.Training.TrainingSession.Start(definition, new Core.Training.TrainingOptions { ValidationSplit = 0 }, TorchSharp.torch.CPU))
        {
            session.Save(folder.File("colour.digits"));
        }

        var error = Assert.Throws<InvalidDataException>(() => DigitsWebApp.Create([$"--Serve:ModelPath={folder.File("colour.digits")}", $"--Store:Directory={folder.Path}"]));

        Assert.Contains("1x28x28", error.Message, StringComparison.Ordinal);
        Assert.True(DigitsWebApp.IsStartupError(error));
    }
}
