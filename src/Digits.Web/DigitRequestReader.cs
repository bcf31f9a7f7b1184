using System.Buffers;
using System.Text.Json;
using Digits.Core.Evaluation;
using Digits.Core.Preprocessing;
using Digits.Web.Api;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using SkiaSharp;

namespace Digits.Web;

/// <summary>
/// Turns what a client sends into a digit in MNIST form: a data URL or a raw image, a multipart file, 784 pixel
/// values or strokes. Every limit is checked before the work it guards, and every refusal is a
/// <see cref="BadInputException"/> saying what was wrong and what to send instead.
/// </summary>
public sealed class DigitRequestReader(IOptions<ServeOptions> options)
{
    /// <summary>
    /// Points accepted in one request's strokes: a digit drawn slowly on a 280 px canvas has a few hundred, and each
    /// segment costs the renderer a few microseconds whatever its length.
    /// </summary>
    public const int MaxStrokePoints = 5_000;

    /// <summary>The largest strokes canvas accepted, pixels per side.</summary>
    public const int MaxCanvasSide = 2048;

    /// <summary>The image types accepted as a raw body; every one of them <see cref="ImageDecoder"/> reads.</summary>
    public static IReadOnlyList<string> ImageMediaTypes { get; } = ["image/png", "image/jpeg", "image/webp", "image/bmp", "image/gif"];

    /// <summary>What <c>POST /api/predict</c> accepts, for people: the answer to a wrong content type.</summary>
    public const string AcceptedForms = "Send JSON ({\"image\": data URL}, {\"pixels\": 784 values} or {\"strokes\": [...]}), " +
        "a multipart form with an image file, or a PNG or JPEG body.";

    private const int Pixels = MnistGeometry.Size * MnistGeometry.Size;

    private readonly ServeOptions _options = options.Value;

    /// <summary>
    /// A client's content type as an answer may repeat it: quoted, at most 100 characters, anything but letters,
    /// digits and <c>/+.-;=_</c> and spaces shown as '?', so no text of the client's choosing comes back as it was sent.
    /// </summary>
    public static string Shown(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return "none";
        }
        string kept = new([.. contentType.Take(100).Select(c => char.IsAsciiLetterOrDigit(c) || "/+.-;=_ ".Contains(c) ? c : '?')]);
        return $"'{kept}{(contentType.Length > 100 ? "..." : "")}'";
    }

    /// <summary>Reads the request body into memory, refusing it (413) past <see cref="ServeOptions.MaxRequestBytes"/>.</summary>
    public async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        long limit = _options.MaxRequestBytes;
        if (request.ContentLength > limit)
        {
            throw TooLarge(request.ContentLength.Value);
        }
        using var body = new MemoryStream();
        byte[] chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (body.Length + read > limit)
                {
                    throw TooLarge(null);
                }
                body.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own limit (set to the same value), a body sent too slowly, or a broken upload. Kestrel's
            // messages name its settings, so each is said in the client's terms.
            throw new BadInputException(e.StatusCode, e.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => TooLarge(null).Message,
                StatusCodes.Status408RequestTimeout => "The request body arrived too slowly and was dropped; send it all at once, at a normal pace.",
                _ => "The request body could not be read: the upload broke off, or its length or chunks are malformed.",
            });
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return body.ToArray();
    }

    /// <summary>Reads <c>POST /api/predict</c>'s body, whichever form it takes, into a prepared digit.</summary>
    public async Task<PreparedPicture> ReadDigitAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        string mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out MediaTypeHeaderValue? parsed) ? parsed.MediaType.Value ?? "" : "";
        if (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return FromJson(await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false), cancellationToken);
        }
        if (mediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            return await FromFormAsync(request, cancellationToken).ConfigureAwait(false);
        }
        if (mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
        {
            return FromImage(await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false));
        }
        throw new BadInputException(StatusCodes.Status415UnsupportedMediaType, $"Content type {Shown(request.ContentType)} is not accepted. {AcceptedForms}");
    }

    /// <summary>Decodes a data URL (<c>data:image/png;base64,...</c>) or bare base64 into the image's bytes.</summary>
    public static byte[] DecodeDataUrl(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new BadInputException("No image was sent: expected a data URL such as 'data:image/png;base64,...'.");
        }
        ReadOnlySpan<char> value = text.AsSpan().Trim();
        const string Marker = "base64,";
        if (value.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            int comma = value.IndexOf(',');
            ReadOnlySpan<char> header = comma < 0 ? value : value[..comma];
            if (!header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase))
            {
                throw new BadInputException("The data URL is not base64-encoded: expected 'data:image/png;base64,...'.");
            }
            if (!header[5..].StartsWith("image/", StringComparison.OrdinalIgnoreCase))
            {
                throw new BadInputException(StatusCodes.Status415UnsupportedMediaType,
                    $"The data URL holds '{header[5..header.IndexOf(';')].ToString()}', not an image: send a PNG or JPEG.");
            }
            value = value[(comma + 1)..];
        }
        else if (value.IndexOf(Marker, StringComparison.Ordinal) is int at and >= 0)
        {
            // The original app's pages send the data URL as a raw body, sometimes with something before it.
            value = value[(at + Marker.Length)..];
        }
        try
        {
            return Convert.FromBase64String(value.ToString());
        }
        catch (FormatException)
        {
            throw new BadInputException("The image is not valid base64: send the canvas's toDataURL() unchanged.");
        }
    }

    /// <summary>Decodes and prepares an encoded image (PNG, JPEG, BMP, WebP, GIF).</summary>
    public PreparedPicture FromImage(byte[] encoded) => ImagePreprocessor.Prepare(Decode(encoded));

    /// <summary>Decodes an encoded image, refusing (413) one over <see cref="ServeOptions.MaxImagePixels"/>.</summary>
    public GreyImage Decode(byte[] encoded)
    {
        try
        {
            return ImageDecoder.Decode(encoded, _options.MaxImagePixels);
        }
        catch (ImageTooLargeException e)
        {
            throw new BadInputException(StatusCodes.Status413PayloadTooLarge, e.Message);
        }
        catch (InvalidDataException e)
        {
            throw new BadInputException(e.Message);
        }
    }

    /// <summary>
    /// Reads a JSON body with the web defaults, refusing (400) one that is not the JSON expected, and a <c>null</c>
    /// body with <paramref name="nullMessage"/>.
    /// </summary>
    internal static T ReadJson<T>(byte[] body, string nullMessage)
        where T : class
    {
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(body, JsonSerializerOptions.Web);
        }
        catch (JsonException e)
        {
            // The serializer's message names .NET types; say where the body went wrong instead.
            throw new BadInputException($"The body is not the JSON expected{(string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $" at {e.Path}")}" +
                $"{(e.LineNumber is long line ? $" (line {line + 1}, byte {e.BytePositionInLine + 1})" : "")}: check its brackets, quotes and value types.");
        }
        return value ?? throw new BadInputException(nullMessage);
    }

    private PreparedPicture FromJson(byte[] body, CancellationToken cancellationToken)
    {
        PredictRequest request = ReadJson<PredictRequest>(body, "The JSON body is null: send {\"image\": ...}, {\"pixels\": ...} or {\"strokes\": ...}.");
        int given = (request.Image is null ? 0 : 1) + (request.Pixels is null ? 0 : 1) + (request.Strokes is null ? 0 : 1);
        if (given != 1)
        {
            throw new BadInputException($"Send exactly one of \"image\", \"pixels\" or \"strokes\"; {given} were given.");
        }
        if (request.Image is not null)
        {
            return FromImage(DecodeDataUrl(request.Image));
        }
        return request.Pixels is not null ? FromPixels(request.Pixels) : FromStrokes(request, cancellationToken);
    }

    private async Task<PreparedPicture> FromFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        byte[] body = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
        request.Body = new MemoryStream(body, writable: false);
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            // The parser's own words quote the body back and are not sentences; say what to send instead.
            throw new BadInputException("The multipart form could not be read: its boundary or a part's headers are malformed. " +
                "Send the image as a file field of a multipart/form-data body.", e);
        }
        IFormFile file = form.Files.Count > 0 ? form.Files[0] : throw new BadInputException("The form holds no file: send the image in a file field (e.g. 'image').");
        using var copy = new MemoryStream((int)file.Length);
        await file.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        return FromImage(copy.ToArray());
    }

    private static PreparedPicture FromPixels(float[] pixels)
    {
        if (pixels.Length != Pixels)
        {
            throw new BadInputException($"\"pixels\" must hold {Pixels} values (28x28, row by row); received {pixels.Length}.");
        }
        if (Array.FindIndex(pixels, p => !(p >= 0 && p <= 1)) is int bad and >= 0)
        {
            throw new BadInputException($"\"pixels\" values must be in [0, 1] (white ink on black); pixels[{bad}] is {pixels[bad]}.");
        }
        return new PreparedPicture(pixels, InkProblem.None, null);
    }

    private static PreparedPicture FromStrokes(PredictRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int width = request.Width ?? PageCanvas.Size;
        int height = request.Height ?? PageCanvas.Size;
        float pen = request.PenWidth ?? PageCanvas.PenWidth;
        if (width is < ImageDecoder.MinSide or > MaxCanvasSide || height is < ImageDecoder.MinSide or > MaxCanvasSide)
        {
            throw new BadInputException($"The canvas must be {ImageDecoder.MinSide} to {MaxCanvasSide} pixels on each side; received {width}x{height}.");
        }
        if (!(pen > 0 && pen <= StrokeRenderer.MaxPenShare * Math.Max(width, height)))
        {
            throw new BadInputException($"\"penWidth\" must be positive and at most a quarter of the canvas's longer side; received {pen}.");
        }
        // The points were counted against MaxStrokePoints as they were read (StrokesConverter).
        float[][][] strokes = request.Strokes!;
        var lines = new List<IReadOnlyList<SKPoint>>(strokes.Length);
        foreach (float[][]? stroke in strokes)
        {
            var line = new List<SKPoint>(stroke?.Length ?? 0);
            foreach (float[]? point in stroke ?? [])
            {
                if (point is not { Length: 2 } || !float.IsFinite(point[0]) || !float.IsFinite(point[1]))
                {
                    throw new BadInputException("Each stroke point must be [x, y] with finite numbers, in canvas pixels.");
                }
                line.Add(new SKPoint(point[0], point[1]));
            }
            lines.Add(line);
        }
        GreyImage drawn;
        try
        {
            drawn = StrokeRenderer.Render(lines, width, height, pen);
        }
        catch (ArgumentException e)
        {
            // Strokes that would cost more than any digit does: refused for their size, before any is drawn.
            throw new BadInputException(StatusCodes.Status413PayloadTooLarge, e.Message);
        }
        // Drawing and preparing take milliseconds at most; a client that has gone by now gets no more work.
        cancellationToken.ThrowIfCancellationRequested();
        return ImagePreprocessor.Prepare(drawn);
    }

    private BadInputException TooLarge(long? bytes) => new(StatusCodes.Status413PayloadTooLarge,
        (bytes is null ? "The request body is" : $"The request body is {bytes.Value:N0} bytes,")
        + $" over the limit of {_options.MaxRequestBytes:N0} bytes: send a smaller image (a 280x280 canvas PNG is about 10 KB).");
}
