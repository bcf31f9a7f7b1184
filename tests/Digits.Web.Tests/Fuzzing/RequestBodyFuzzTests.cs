using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CsCheck;
using Digits.Core.Preprocessing;
using Digits.Core.Tests.Fuzzing;
using Digits.Tests.Support;
using Digits.Web.Api;
using static Digits.Web.Tests.WebTestSupport;

namespace Digits.Web.Tests.Fuzzing;

/// <summary>
/// Every request body the web app reads, generated and mutated, sent to the real app in memory:
/// <c>POST /api/predict</c> with JSON (<c>image</c>, <c>pixels</c>, <c>strokes</c>), a multipart file or a raw image;
/// <c>POST /predict/</c> with a raw data URL; <c>POST /api/feedback</c> with <c>{image, predicted, correct}</c>. The
/// mutations: flipped bytes, truncation, broken base64, wrong content types, NaN and Infinity written as strings,
/// 1e309, strokes with millions of points, nested arrays, null everywhere. The rule: a well-formed request gets its
/// answer; any request gets a 2xx with a correct body or a 4xx ProblemDetails whose detail is a sentence naming no
/// .NET type, never a 5xx.
/// </summary>
public sealed class RequestBodyFuzzTests(RequestBodyFuzzTests.App app) : IClassFixture<RequestBodyFuzzTests.App>
{
    /// <summary>One app for the whole class: its store fills with the corrections the feedback cases send.</summary>
    public sealed class App : IDisposable
    {
        public App()
        {
            Client = Factory.CreateClient();
            Client.Timeout = FuzzRun.CaseLimit;
        }

        public DigitsWebFactory Factory { get; } = new();

        public HttpClient Client { get; }

        public void Dispose()
        {
            Client.Dispose();
            Factory.Dispose();
        }
    }

    /// <summary>What details must not hold: the names of .NET namespaces and types, which only an unhandled error would show.</summary>
    private static readonly string[] s_typeNames = ["System.", "Microsoft.", "Digits.Web", "Digits.Core", "Exception", "   at "];

    [Fact]
    public async Task Post_WellFormedBodies_AreAnswered()
    {
        await WellFormed.SampleAsync(async request =>
        {
            (HttpStatusCode status, string body) = await SendAsync(request);

            if (HoldsNoDigit(request))
            {
                // A blank or blob-like picture is no correction; the server says so.
                AssertProblem(status, body);
                Assert.Contains("A correction needs a drawn digit", body, StringComparison.Ordinal);
                return;
            }
            Assert.True(status is HttpStatusCode.OK or HttpStatusCode.Created, $"{(int)status}: {body}");
            AssertAnswer(request, status, body);
        }, iter: FuzzRun.Iterations(120), seed: FuzzRun.Seed("0N0XlWebGood"), threads: 1);
    }

    /// <summary>True for a correction whose picture, prepared as every picture is, is blank, a dot or a blob.</summary>
    private static bool HoldsNoDigit(FuzzRequest request)
    {
        if (request.Path != "/api/feedback")
        {
            return false;
        }
        using JsonDocument json = JsonDocument.Parse(request.Body);
        string image = json.RootElement.GetProperty("image").GetString()!;
        byte[] picture = Convert.FromBase64String(image[(image.IndexOf(',', StringComparison.Ordinal) + 1)..]);
        return ImagePreprocessor.Prepare(ImageDecoder.Decode(picture)).Problem is InkProblem.Blank or InkProblem.Shapeless;
    }

    [Fact]
    public async Task Post_MutatedBodies_AreAnsweredOrRefusedWithAProblemSayingWhy_NeverA5xx()
    {
        Gen<FuzzRequest> requests = Gen.Frequency(
            (6, WellFormed.SelectMany(Mutated)),
            (1, HugeStrokes),
            (1, RandomBodies));
        await requests.SampleAsync(async request =>
        {
            (HttpStatusCode status, string body) = await SendAsync(request);

            Assert.True((int)status < 500, $"{(int)status}: {body}");
            if ((int)status < 300)
            {
                AssertAnswer(request, status, body);
            }
            else
            {
                AssertProblem(status, body);
            }
        }, iter: FuzzRun.Iterations(500), seed: FuzzRun.Seed("0N0XlWebMutd"), threads: 1);
    }

    /// <summary>A request to send: where, with which content type (null for none), what body, and how it was made.</summary>
    public sealed record FuzzRequest(string How, string Path, string? ContentType, byte[] Body)
    {
        public override string ToString()
        {
            string text = Encoding.UTF8.GetString(Body, 0, Math.Min(Body.Length, 300));
            string printable = new([.. text.Select(c => char.IsControl(c) && c is not '\r' and not '\n' ? '·' : c)]);
            return $"{How}: POST {Path}, Content-Type {ContentType ?? "(none)"}, {Body.Length} bytes: {printable}";
        }
    }

    private static readonly Gen<FuzzBytes> s_pictures = FuzzImages.Encoded(ImageDecoder.MinSide, 120);

    /// <summary>Pictures small enough to be kept with a correction (256 KB), as the page's canvas PNG is.</summary>
    private static readonly Gen<FuzzBytes> s_smallPictures = FuzzImages.Encoded(ImageDecoder.MinSide, 48);

    private static string DataUrlOf(byte[] picture) => "data:image/png;base64," + Convert.ToBase64String(picture);

    /// <summary>784 values in [0, 1].</summary>
    private static readonly Gen<float[]> s_pixels = Gen.Select(Gen.Int, Gen.Int[0, 3]).Select((seed, kind) =>
    {
        var random = new Random(seed);
        return Enumerable.Range(0, 784).Select(_ => kind switch
        {
            0 => 0f,
            1 => 1f,
            2 => random.NextSingle(),
            _ => random.Next(2),
        }).ToArray();
    });

    /// <summary>
    /// Strokes as a person draws one digit: one to three strokes of up to a dozen points on a canvas of the size sent
    /// (the page's when left out), with a pen of at most a sixteenth of the canvas, so they never paint more than the
    /// renderer's limit of four canvases.
    /// </summary>
    private static readonly Gen<string> s_strokes = Gen.Select(Gen.OneOf<(int, int)?>(null, (8, 8), (28, 28), (280, 280), (500, 400), (120, 200), (2048, 2048)), Gen.Int, Gen.Int[1, 3], Gen.Bool)
        .Select((canvas, seed, count, pen) =>
        {
            var random = new Random(seed);
            (int w, int h) = canvas ?? (PageCanvas.Size, PageCanvas.Size);
            var strokes = new List<float[][]>();
            for (int s = 0; s < count; s++)
            {
                strokes.Add([.. Enumerable.Range(0, random.Next(1, 13)).Select(_ => new[] { MathF.Round(random.NextSingle() * w, 1), MathF.Round(random.NextSingle() * h, 1) })]);
            }
            var body = new Dictionary<string, object> { ["strokes"] = strokes };
            if (canvas is not null)
            {
                (body["width"], body["height"]) = (w, h);
            }
            // The page's pen (18 px) is over a quarter of a canvas under 72 px, so such a canvas always names its pen.
            if (pen || Math.Max(w, h) < 4 * PageCanvas.PenWidth)
            {
                body["penWidth"] = MathF.Round(1 + (random.NextSingle() * Math.Max(0, (Math.Max(w, h) / 16f) - 1)), 1);
            }
            return JsonSerializer.Serialize(body);
        });

    /// <summary>Requests the app must answer: one of each body form, with pictures from the generator.</summary>
    public static Gen<FuzzRequest> WellFormed { get; } = Gen.Frequency(
        (3, s_pictures.Select(p => Json($"image: {p.How}", "/api/predict", JsonSerializer.Serialize(new { image = DataUrlOf(p.Bytes) })))),
        (2, s_pixels.Select(pixels => Json("pixels", "/api/predict", JsonSerializer.Serialize(new { pixels })))),
        (3, s_strokes.Select(strokes => Json("strokes", "/api/predict", strokes))),
        (2, Gen.Select(s_pictures, Gen.OneOf("image", "file", "upload")).Select((p, field) =>
            Multipart($"multipart {field}: {p.How}", "xYz0fuzzBoundary", field, "digit.png", "image/png", p.Bytes))),
        (2, s_pictures.Select(p => new FuzzRequest($"raw: {p.How}", "/api/predict", MediaType(p.How), p.Bytes))),
        (2, Gen.Select(s_pictures, Gen.OneOf("application/x-www-form-urlencoded", "text/plain")).Select((p, type) =>
            new FuzzRequest($"plain: {p.How}", "/predict/", type, Encoding.ASCII.GetBytes(DataUrlOf(p.Bytes))))),
        (2, Gen.Select(s_smallPictures, Gen.Int[0, 9], Gen.Int[0, 9]).Select((p, predicted, correct) =>
            Json($"feedback: {p.How}", "/api/feedback", JsonSerializer.Serialize(new { image = DataUrlOf(p.Bytes), predicted, correct })))));

    /// <summary>A well-formed request damaged as clients and strangers damage them.</summary>
    private static Gen<FuzzRequest> Mutated(FuzzRequest request)
    {
        var body = new FuzzBytes(request.How, request.Body);
        Gen<FuzzRequest> bytes = Mutations.Any(body).Select(damaged => request with { How = damaged.How, Body = damaged.Bytes });
        Gen<FuzzRequest> contentType = Gen.OneOf<string?>(
                null, "", "text/plain", "application/json", "application/json; charset=utf-16", "application/xml", "image/png", "image/x-unknown",
                "image/", "IMAGE/PNG", "multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=\"unclosed",
                "multipart/mixed; boundary=xYz0fuzzBoundary", "application/x-www-form-urlencoded", ";;;", "*/*", "application/json; charset=nonsense")
            .Select(type => request with { How = $"{request.How}; content type {type ?? "none"}", ContentType = type });
        Gen<FuzzRequest> path = Gen.OneOf("/api/predict", "/predict/", "/api/feedback")
            .Select(other => request with { How = $"{request.How}; sent to {other}", Path = other });
        var kinds = new List<(int, IGen<FuzzRequest>)> { (4, bytes), (2, contentType), (1, path) };
        if (request.ContentType == "application/json")
        {
            string json = Encoding.UTF8.GetString(request.Body);
            kinds.Add((8, JsonMutations.Any(new FuzzJson(request.How, json)).Select(edited => request with { How = edited.How, Body = Encoding.UTF8.GetBytes(edited.Json) })));
            kinds.Add((3, DataUrlMutations(request, json)));
        }
        if (request.Path == "/predict/")
        {
            kinds.Add((3, DataUrlMutations(request, Encoding.ASCII.GetString(request.Body))));
        }
        if (request.ContentType?.StartsWith("multipart/", StringComparison.Ordinal) == true)
        {
            kinds.Add((3, MultipartMutations(request)));
        }
        return Gen.Frequency([.. kinds]);
    }

    /// <summary>The data URL inside a body broken: bad base64, a wrong or missing media type, no marker, cut short.</summary>
    private static Gen<FuzzRequest> DataUrlMutations(FuzzRequest request, string text)
    {
        int start = text.IndexOf("data:", StringComparison.Ordinal);
        int comma = text.IndexOf("base64,", StringComparison.Ordinal);
        if (start < 0 || comma < 0)
        {
            return Gen.Const(request);
        }
        int payload = comma + "base64,".Length;
        int end = text.IndexOf('"', payload) is int quote and >= 0 ? quote : text.Length;
        return Gen.Frequency(
            (3, Gen.Select(Gen.Int[payload, Math.Max(payload, end - 1)], Gen.OneOf('@', '*', '-', '_', ' ', '=', '\u00e9', '%')).Select((at, c) =>
                request with { How = $"{request.How}; base64 character {at} is '{c}'", Body = Encoding.UTF8.GetBytes(string.Concat(text.AsSpan(0, at), c.ToString(), text.AsSpan(at + 1))) })),
            (2, Gen.Int[payload, end].Select(cut =>
                request with { How = $"{request.How}; base64 cut to {cut - payload} characters", Body = Encoding.UTF8.GetBytes(string.Concat(text.AsSpan(0, cut), text.AsSpan(end))) })),
            (3, Gen.OneOf("data:text/html;base64,", "data:image/svg+xml;base64,", "data:;base64,", "data:image/png,", "data:image/png;base64", "DATA:IMAGE/PNG;BASE64,",
                    "data:image/png;charset=utf-8;base64,", "data:data:image/png;base64,", "", "base64,", "data:image", "data:image/png;base64,data:image/png;base64,")
                .Select(header => request with
                {
                    How = $"{request.How}; data URL header '{header}'",
                    Body = Encoding.UTF8.GetBytes(string.Concat(text.AsSpan(0, start), header, text.AsSpan(payload))),
                })));
    }

    /// <summary>A multipart form broken: another boundary in the body, no file name, two files, an empty file, no parts.</summary>
    private static Gen<FuzzRequest> MultipartMutations(FuzzRequest request)
    {
        byte[] picture = ExtractFile(request.Body);
        return Gen.OneOf(
            Gen.Const(request with { How = $"{request.How}; boundary differs in the body", ContentType = "multipart/form-data; boundary=other" }),
            Gen.Const(Multipart($"{request.How}; no file name", "b0", "image", null, "image/png", picture)),
            Gen.Const(Multipart($"{request.How}; empty file", "b1", "image", "digit.png", "image/png", [])),
            Gen.Const(Multipart($"{request.How}; file typed text/plain", "b2", "image", "digit.txt", "text/plain", picture)),
            Gen.Const(request with { How = $"{request.How}; two files", Body = TwoFiles(picture), ContentType = "multipart/form-data; boundary=b3" }),
            Gen.Const(request with { How = $"{request.How}; only the closing boundary", Body = "--xYz0fuzzBoundary--\r\n"u8.ToArray() }),
            Gen.Const(request with { How = $"{request.How}; 200-character boundary", ContentType = "multipart/form-data; boundary=" + new string('b', 200) }));
    }

    /// <summary>Strokes with far more points than any digit: over the points limit, and over the body limit.</summary>
    private static Gen<FuzzRequest> HugeStrokes { get; } = Gen.OneOf(5_001, 20_000, 150_000, 2_000_000).Select(points =>
    {
        var json = new StringBuilder("{\"strokes\":[[");
        for (int i = 0; i < points; i++)
        {
            json.Append(i == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $"[{i % 280},{i * 7 % 280}]");
        }
        json.Append("]]}");
        return Json($"strokes of {points:N0} points", "/api/predict", json.ToString());
    });

    /// <summary>Random bytes, or random bytes after a picture's signature, to any endpoint with any of the content types it meets.</summary>
    private static Gen<FuzzRequest> RandomBodies { get; } = Gen.Select(
            Mutations.RandomAfter(512, [.. FuzzImages.Signatures, ("data URL", "data:image/png;base64,"u8.ToArray()), ("JSON", "{\"image\":"u8.ToArray())]),
            Gen.OneOf("/api/predict", "/predict/", "/api/feedback"),
            Gen.OneOf<string?>(null, "application/json", "image/png", "image/gif", "multipart/form-data; boundary=x", "text/plain", "application/octet-stream"))
        .Select((bytes, path, type) => new FuzzRequest(bytes.How, path, type, bytes.Bytes));

    private static FuzzRequest Json(string how, string path, string json) => new(how, path, "application/json", Encoding.UTF8.GetBytes(json));

    private static FuzzRequest Multipart(string how, string boundary, string field, string? fileName, string type, byte[] content)
    {
        string disposition = fileName is null ? $"form-data; name=\"{field}\"" : $"form-data; name=\"{field}\"; filename=\"{fileName}\"";
        byte[] body = [.. Encoding.ASCII.GetBytes($"--{boundary}\r\nContent-Disposition: {disposition}\r\nContent-Type: {type}\r\n\r\n"), .. content,
            .. Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n")];
        return new FuzzRequest(how, "/api/predict", $"multipart/form-data; boundary={boundary}", body);
    }

    private static byte[] TwoFiles(byte[] picture) =>
    [
        .. "--b3\r\nContent-Disposition: form-data; name=\"a\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n"u8, .. picture,
        .. "\r\n--b3\r\nContent-Disposition: form-data; name=\"b\"; filename=\"b.png\"\r\nContent-Type: image/png\r\n\r\n"u8, .. picture,
        .. "\r\n--b3--\r\n"u8,
    ];

    /// <summary>The file's bytes in a form this class wrote: between the first blank line and the closing boundary.</summary>
    private static byte[] ExtractFile(byte[] form)
    {
        int start = form.AsSpan().IndexOf("\r\n\r\n"u8);
        int end = form.AsSpan().LastIndexOf("\r\n--"u8);
        return start < 0 || end <= start + 4 ? [] : form[(start + 4)..end];
    }

    /// <summary>The media type of a generated picture, from its recipe ("Png 31x12 ...").</summary>
    private static string MediaType(string how) => how.Split(' ')[0] switch
    {
        "Png" => "image/png",
        "Jpeg" => "image/jpeg",
        "Webp" => "image/webp",
        "Bmp" => "image/bmp",
        _ => "image/gif",
    };

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(FuzzRequest request)
    {
        using var content = new ByteArrayContent(request.Body);
        content.Headers.ContentType = null;
        if (request.ContentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using HttpResponseMessage response = await app.Client.PostAsync(request.Path, content, Cancel);
        string body = await response.Content.ReadAsStringAsync(Cancel);
        Assert.True(clock.Elapsed < FuzzRun.CaseLimit, $"the answer took {clock.Elapsed.TotalSeconds:F1} s");
        if ((int)response.StatusCode >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        return (response.StatusCode, body);
    }

    /// <summary>A correct answer for the endpoint: ten probabilities summing to 1 and the image seen; the digit in brackets; the stored correction's id.</summary>
    private static void AssertAnswer(FuzzRequest request, HttpStatusCode status, string body)
    {
        switch (request.Path)
        {
            case "/api/predict":
                Assert.Equal(HttpStatusCode.OK, status);
                PredictResponse answer = JsonSerializer.Deserialize<PredictResponse>(body, JsonSerializerOptions.Web)!;
                Assert.InRange(answer.Digit, 0, 9);
                Assert.Equal(10, answer.Probabilities.Length);
                Assert.All(answer.Probabilities, p => Assert.InRange(p, 0f, 1f));
                Assert.InRange(answer.Probabilities.Sum(), 0.999f, 1.001f);
                Assert.Equal(answer.Probabilities.Max(), answer.Confidence);
                Assert.Equal(784, answer.Seen.Length);
                Assert.All(answer.Seen, v => Assert.InRange(v, 0, 255));
                Assert.False(string.IsNullOrEmpty(answer.ModelId));
                break;
            case "/predict/":
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.Matches(@"^\[[0-9]\]$", body);
                break;
            default:
                Assert.Equal(HttpStatusCode.Created, status);
                FeedbackResponse stored = JsonSerializer.Deserialize<FeedbackResponse>(body, JsonSerializerOptions.Web)!;
                Assert.True(stored.Id > 0 && stored.Corrections >= 1, body);
                break;
        }
    }

    /// <summary>A 4xx ProblemDetails whose status matches and whose detail is a sentence for a person, naming no .NET type.</summary>
    private static void AssertProblem(HttpStatusCode status, string body)
    {
        Assert.InRange((int)status, 400, 499);
        using JsonDocument problem = JsonDocument.Parse(body);
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        string detail = problem.RootElement.GetProperty("detail").GetString() ?? "";
        Assert.True(detail.Length >= 12 && (char.IsUpper(detail[0]) || detail[0] is '"' or '\'') && detail.TrimEnd().EndsWith('.'), $"not a sentence: '{detail}'");
        Assert.All(s_typeNames, name => Assert.DoesNotContain(name, detail, StringComparison.Ordinal));
    }
}
