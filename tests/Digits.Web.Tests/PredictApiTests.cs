using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Digits.Core.Data;
using Digits.Core.Evaluation;
using Digits.Core.Preprocessing;
using Digits.Tests.Support;
using Digits.Web.Api;
using SkiaSharp;
using static Digits.Web.Tests.WebTestSupport;

namespace Digits.Web.Tests;

/// <summary>
/// <c>POST /api/predict</c> and <c>POST /predict/</c> on the real app, with real handwriting from the pen-tablet set;
/// run on each engine (<see cref="TorchPredictApiTests"/>, <see cref="OnnxPredictApiTests"/>).
/// </summary>
public abstract class PredictApiTests(PredictApiTests.App app)
{
    /// <summary>One app answering with <paramref name="engine"/> and the first three digits of each class from the pen-tablet set, shared by the tests.</summary>
    public abstract class App(string engine) : IDisposable
    {
        public string Engine => engine;

        public DigitsWebFactory Factory { get; } = new(new() { ["Serve:Engine"] = engine });

        public IReadOnlyList<PenDigit> Digits { get; } =
            [.. SharedPenDigits.Digits.GroupBy(d => d.Label).OrderBy(g => g.Key).SelectMany(g => g.Take(3))];

        public void Dispose()
        {
            Factory.Dispose();
            GC.SuppressFinalize(this);
        }
    }

    private HttpClient Client { get; } = app.Factory.CreateClient();

    [Fact]
    public async Task Model_SaysWhichEngineAnswers()
    {
        ModelInfo model = (await Client.GetFromJsonAsync<ModelInfo>("/api/model", Cancel))!;

        Assert.Equal(app.Engine, model.Engine);
    }

    [Fact]
    public async Task Predict_CanvasDataUrls_ReadsRealHandwriting()
    {
        int right = 0;
        foreach (PenDigit digit in app.Digits)
        {
            using HttpResponseMessage response = await Client.PostAsJsonAsync("/api/predict", new { image = DataUrl(TestPictures.CanvasPng(digit)) }, Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            PredictResponse answer = (await response.Content.ReadFromJsonAsync<PredictResponse>(Cancel))!;
            Assert.Equal(10, answer.Probabilities.Length);
            Assert.Equal(1.0, answer.Probabilities.Sum(), 3);
            Assert.Equal(answer.Probabilities.Max(), answer.Confidence);
            Assert.Equal(784, answer.Seen.Length);
            Assert.All(answer.Seen, v => Assert.InRange(v, 0, 255));
            Assert.StartsWith("digitnet-", answer.ModelId, StringComparison.Ordinal);
            right += answer.Digit == digit.Label ? 1 : 0;
        }
        // The shipped model reads 97% of this set; 27 of these 30 is the floor.
        Assert.True(right >= 27, $"{right} of {app.Digits.Count} read right");
    }

    [Fact]
    public async Task Predict_Multipart_RawPng_Strokes_AndDataUrl_AllGiveTheSameAnswer()
    {
        PenDigit digit = app.Digits[21];
        byte[] png = TestPictures.CanvasPng(digit);

        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(png);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "image", "digit.png");
        PredictResponse multipart = await PostAsync(form);

        var raw = new ByteArrayContent(png);
        raw.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        PredictResponse rawBody = await PostAsync(raw);

        float[][][] strokes = [.. digit.OnCanvas(PageCanvas.Size).Select(s => s.Select(p => new[] { p.X, p.Y }).ToArray())];
        PredictResponse drawn = await PostAsync(JsonContent.Create(new { strokes }));
        PredictResponse dataUrl = await PostAsync(JsonContent.Create(new { image = DataUrl(png) }));

        Assert.All(new[] { multipart, rawBody, drawn }, a => Assert.Equal(dataUrl.Digit, a.Digit));
        Assert.Equal(dataUrl.Probabilities, multipart.Probabilities);
    }

    [Fact]
    public async Task Predict_MnistPixels_AnswersTheTestLabels()
    {
        using MnistDataset test = MnistDataset.Load(SharedMnist.Folder, MnistSplit.Test, limit: 20);
        float[] all = test.Images.data<float>().ToArray();
        long[] labels = test.Labels.data<long>().ToArray();
        int right = 0;
        for (int i = 0; i < 20; i++)
        {
            float[] pixels = all[(i * 784)..((i + 1) * 784)];
            PredictResponse answer = await PostAsync(JsonContent.Create(new { pixels }));
            right += answer.Digit == labels[i] ? 1 : 0;
        }
        Assert.True(right >= 19, $"{right} of 20");
    }

    [Fact]
    public async Task Explain_RealHandwriting_SaliencyRestsOnTheInk_AndEachConvolutionShowsItsMaps()
    {
        PenDigit digit = app.Digits[12];
        using HttpResponseMessage response = await Client.PostAsJsonAsync("/api/explain", new { image = DataUrl(TestPictures.CanvasPng(digit)) }, Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        ExplainResponse why = (await response.Content.ReadFromJsonAsync<ExplainResponse>(Cancel))!;

        Assert.Equal(784, why.Saliency.Length);
        Assert.Equal(255, why.Saliency.Max());
        double onInk = Enumerable.Range(0, 784).Where(i => why.Seen[i] > 128).Average(i => why.Saliency[i]);
        double farFromInk = Enumerable.Range(0, 784).Where(i => why.Seen[i] == 0).Average(i => why.Saliency[i]);
        Assert.True(onInk > 2 * farFromInk, $"saliency on the ink {onInk:F1}, elsewhere {farFromInk:F1}");
        // digitnet: three 3x3 convolutions, of 16, 64 and 128 filters, at 28, 14 and 7 pixels.
        Assert.Equal([(16, 28), (64, 14), (128, 7)], why.Layers.Select(l => (l.Channels, l.Width)));
        Assert.All(why.Layers, l => Assert.Equal(16, l.Maps.Count));
        Assert.All(why.Layers.SelectMany(l => l.Maps), m => Assert.Contains(255, m));
    }

    [Fact]
    public async Task PredictPlain_OriginalAppsBody_AnswersTheDigitInBrackets()
    {
        PenDigit digit = app.Digits[0];
        // The original page posted canvas.toDataURL() as the raw body, form-encoded by jQuery's default.
        using var body = new StringContent(DataUrl(TestPictures.CanvasPng(digit)), Encoding.ASCII, "application/x-www-form-urlencoded");
        using HttpResponseMessage response = await Client.PostAsync("/predict/", body, Cancel);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"[{digit.Label}]", await response.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task Predict_BlankCanvasTapOrBlob_HoldsNoDigit_ADrawnDigitDoes()
    {
        byte[] blank = TestPictures.Encode(new Core.Preprocessing.GreyImage(280, 280, Enumerable.Repeat(1f, 280 * 280).ToArray()), SKEncodedImageFormat.Png);
        // A single tap of the page's pen, and a filled square: once answered "0, 100% sure".
        byte[] tap = TestPictures.Encode(StrokeRenderer.Render([[new SKPoint(140, 140)]], 280, 280, PageCanvas.PenWidth), SKEncodedImageFormat.Png);
        byte[] blob = TestPictures.Encode(StrokeRenderer.Render([[new SKPoint(100, 100), new SKPoint(180, 100), new SKPoint(180, 180), new SKPoint(100, 180), new SKPoint(100, 100)]], 280, 280, 70), SKEncodedImageFormat.Png);

        foreach (byte[] nothing in new[] { blank, tap, blob })
        {
            PredictResponse answer = await PostAsync(JsonContent.Create(new { image = DataUrl(nothing) }));
            Assert.True(answer.NoDigit);
            Assert.True(answer.NotSure);
            Assert.False(string.IsNullOrEmpty(answer.Reason));
        }
        PredictResponse drawn = await PostAsync(JsonContent.Create(new { image = DataUrl(TestPictures.CanvasPng(app.Digits[0])) }));
        Assert.False(drawn.NoDigit);
    }

    public static TheoryData<string, string, string, HttpStatusCode, string> BadRequests => new()
    {
        { "/api/predict", "text/plain", "hello", HttpStatusCode.UnsupportedMediaType, "multipart form" },
        { "/api/predict", "application/json", "{\"image\": \"data:image/png;base64,@@@\"}", HttpStatusCode.BadRequest, "base64" },
        { "/api/predict", "application/json", "{\"image\": \"data:text/html;base64,PGI+\"}", HttpStatusCode.UnsupportedMediaType, "text/html" },
        { "/api/predict", "application/json", "{\"image\": \"bXkgZGlnaXQgaXMgYSBzZXZlbg==\"}", HttpStatusCode.BadRequest, "Not an image" },
        { "/api/predict", "application/json", "{\"pixels\": [0.5, 0.5]}", HttpStatusCode.BadRequest, "784" },
        { "/api/predict", "application/json", "{\"pixels\": [" + string.Join(",", Enumerable.Repeat("2", 784)) + "]}", HttpStatusCode.BadRequest, "[0, 1]" },
        { "/api/predict", "application/json", "{\"pixels\": [0, 0, 300" + string.Concat(Enumerable.Repeat(",0", 781)) + "]}", HttpStatusCode.BadRequest, "pixels[2] is 300" },
        { "/api/predict", "application/json", "{}", HttpStatusCode.BadRequest, "exactly one" },
        { "/api/predict", "application/json", "{\"image\": ", HttpStatusCode.BadRequest, "JSON" },
        { "/api/predict", "application/json", "{\"strokes\": [[[1, 2, 3]]]}", HttpStatusCode.BadRequest, "[x, y]" },
        { "/api/predict", "application/json", "{\"strokes\": [], \"width\": 100000}", HttpStatusCode.BadRequest, "canvas" },
        { "/api/predict", "multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--xyz--\r\n", HttpStatusCode.BadRequest, "no file" },
        { "/predict/", "application/x-www-form-urlencoded", "", HttpStatusCode.BadRequest, "No image" },
        { "/predict/", "application/x-www-form-urlencoded", "data:image/png;base64,iVBORw0KGgo=", HttpStatusCode.BadRequest, "Not an image" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Predict_BadInput_AnswersProblemDetailsSayingWhy(string path, string contentType, string body, HttpStatusCode status, string saying)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using HttpResponseMessage response = await Client.PostAsync(path, content, Cancel);

        await AssertProblemAsync(response, status, saying);
    }

    [Fact]
    public async Task Predict_MultipartWithABrokenPartHeader_IsRefusedInASentenceOfOurOwn()
    {
        // Regression (found by RequestBodyFuzzTests): the detail ended with the multipart parser's own words and no full
        // stop, "The multipart form could not be read: Invalid header line: broken", echoing the body.
        using var content = new ByteArrayContent("--b\r\nContent-Disposition: form-data; name=\"image\"; filename=\"d.png\"\r\nbroken\r\n\r\nx\r\n--b--\r\n"u8.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=b");
        using HttpResponseMessage response = await Client.PostAsync("/api/predict", content, Cancel);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "multipart form could not be read");
        string detail = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancel)).RootElement.GetProperty("detail").GetString()!;
        Assert.EndsWith(".", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("broken", detail, StringComparison.Ordinal);
    }

    /// <summary>A stroke going back and forth across a square canvas, corner to corner.</summary>
    private static string ZigZag(int points, int side, float pen) =>
        "{\"strokes\":[[" + string.Join(",", Enumerable.Range(0, points).Select(i => $"[{(i % 2 == 0 ? 0 : side - 1)},{i * 37 % side}]")) +
        $"]],\"width\":{side},\"height\":{side},\"penWidth\":{pen}}}";

    [Theory]
    [InlineData(2048, HttpStatusCode.BadRequest, "quarter")]
    [InlineData(512, HttpStatusCode.RequestEntityTooLarge, "cover the canvas")]
    [InlineData(3, HttpStatusCode.RequestEntityTooLarge, "cover the canvas")]
    public async Task Predict_StrokesThatWouldCostSeconds_AreRefusedSayingWhy(float pen, HttpStatusCode status, string saying)
    {
        // Regression (hardening): 20,000 points on a 2048 px canvas with a 2048 px pen took 8.5 s of CPU to draw; 5,000 such
        // points, the limit now, still took seconds with a wide pen.
        using var content = new StringContent(ZigZag(DigitRequestReader.MaxStrokePoints, DigitRequestReader.MaxCanvasSide, pen), Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await Client.PostAsync("/api/predict", content, Cancel);

        await AssertProblemAsync(response, status, saying);
    }

    [Fact]
    public async Task Predict_MoreStrokePointsThanTheLimit_Is413WhileReading()
    {
        using var content = new StringContent(ZigZag(DigitRequestReader.MaxStrokePoints + 1, 280, 18), Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await Client.PostAsync("/api/predict", content, Cancel);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, $"{DigitRequestReader.MaxStrokePoints:N0} points");
    }

    [Fact]
    public async Task Predict_DigitsOnABigCanvas_AreReadAsOnThePage()
    {
        // Drawn at the reading side, a digit on a 2048 px canvas, its pen in proportion, is the same picture as on the page's.
        int same = 0;
        double difference = 0;
        foreach (PenDigit digit in app.Digits)
        {
            float[][][] Strokes(int side) => [.. digit.OnCanvas(side).Select(s => s.Select(p => new[] { p.X, p.Y }).ToArray())];
            PredictResponse small = await PostAsync(JsonContent.Create(new { strokes = Strokes(280) }));
            PredictResponse big = await PostAsync(JsonContent.Create(new { strokes = Strokes(2048), width = 2048, height = 2048, penWidth = 18 * 2048 / 280f }));
            same += small.Digit == big.Digit ? 1 : 0;
            difference += small.Seen.Zip(big.Seen, (a, b) => Math.Abs(a - b)).Average() / app.Digits.Count;
        }
        Assert.Equal(app.Digits.Count, same);
        Assert.True(difference < 1, $"the pictures the model saw differ by {difference:F1} of 255 on average");
    }

    [Fact]
    public async Task Predict_BodyOverTheLimit_Is413()
    {
        using var content = new ByteArrayContent(new byte[1024 * 1024 + 1]);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        using HttpResponseMessage response = await Client.PostAsync("/api/predict", content, Cancel);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "limit");
    }

    [Fact]
    public async Task Predict_ImageOverThePixelLimit_Is413BeforeDecoding()
    {
        using HttpResponseMessage response = await Client.PostAsJsonAsync("/api/predict", new { image = DataUrl(TestPictures.PngClaiming(20000, 20000)) }, Cancel);

        await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "megapixels");
    }

    [Fact]
    public async Task Predict_TinyFilesClaimingMegapixels_AreRefusedOrDecodedSmall()
    {
        // Regression (hardening): a 1 KB RLE bitmap claiming 4000x3000 was decoded whole, 0.2 s of CPU each.
        using var bmp = new ByteArrayContent(HostilePictures.RleBmp(4000, 3000));
        bmp.Headers.ContentType = new MediaTypeHeaderValue("image/bmp");
        using HttpResponseMessage refused = await Client.PostAsync("/api/predict", bmp, Cancel);
        await AssertProblemAsync(refused, HttpStatusCode.RequestEntityTooLarge, "megapixels");

        // A phone photo is a JPEG: decoded at a quarter of its size, it is still read.
        using var photo = new ByteArrayContent(HostilePictures.GrainyJpeg(app.Digits[3], 4000, 3000, 20));
        photo.Headers.ContentType = new MediaTypeHeaderValue("image/jpeg");
        PredictResponse answer = await PostAsync(photo);
        Assert.Equal(app.Digits[3].Label, answer.Digit);
    }

    [Fact]
    public async Task Predict_ManyAtOnce_EveryAnswerMatchesTheSameRequestAlone()
    {
        byte[][] pngs = [.. app.Digits.Take(12).Select(TestPictures.CanvasPng)];
        PredictResponse[] alone = new PredictResponse[pngs.Length];
        for (int i = 0; i < pngs.Length; i++)
        {
            alone[i] = await PostAsync(JsonContent.Create(new { image = DataUrl(pngs[i]) }));
        }

        PredictResponse[] together = await Task.WhenAll(Enumerable.Range(0, 96).Select(i => PostAsync(JsonContent.Create(new { image = DataUrl(pngs[i % pngs.Length]) }))));

        for (int i = 0; i < together.Length; i++)
        {
            Assert.Equal(alone[i % pngs.Length].Probabilities, together[i].Probabilities);
        }
    }

    [Fact]
    public async Task Predict_PastTheClientsRate_Is429WithRetryAfter()
    {
        using var limited = new DigitsWebFactory(new() { ["Serve:PredictionBurst"] = "3", ["Serve:PredictionsPerSecond"] = "1", ["Serve:Engine"] = app.Engine });
        HttpClient client = limited.CreateClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (int i = 0; i < 6; i++)
        {
            HttpResponseMessage response = await client.PostAsJsonAsync("/api/predict", new { pixels = new float[784] }, Cancel);
            statuses.Add(response.StatusCode);
            refused ??= response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.Equal(HttpStatusCode.OK, statuses[0]);
        Assert.NotNull(refused);
        Assert.NotNull(refused.Headers.RetryAfter);
        await AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "Too many requests");
    }

    private async Task<PredictResponse> PostAsync(HttpContent content)
    {
        using (content)
        {
            using HttpResponseMessage response = await Client.PostAsync("/api/predict", content, Cancel);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.Content.ReadFromJsonAsync<PredictResponse>(Cancel))!;
        }
    }
}
