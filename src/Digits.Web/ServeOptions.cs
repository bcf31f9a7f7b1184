using System.ComponentModel.DataAnnotations;
using System.Net;
using Digits.Onnx;

namespace Digits.Web;

/// <summary>How the web app answers: its model and its limits. Bound from the <c>Serve</c> configuration section.</summary>
public sealed class ServeOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Serve";

    /// <summary>A <c>.digits</c> model file. Defaults to the shipped model.</summary>
    public string? ModelPath { get; set; }

    /// <summary>The largest request body, bytes. Defaults to 1 MB.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public long MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// The most pixels an image is decoded into, judged from its header before any is decoded. A bigger JPEG (a phone
    /// photo) is decoded scaled down by 2 or 4 to fit; a bigger image of another kind is refused. Defaults to one
    /// megapixel: decoding costs about 20 ms of CPU per megapixel, and the page sends its 280x280 canvas.
    /// </summary>
    [Range(64, 100_000_000)]
    public long MaxImagePixels { get; set; } = 1_000_000;

    /// <summary>
    /// Predictions each client may ask for per second, on average. Defaults to 20: live prediction while
    /// drawing asks about 6 times a second.
    /// </summary>
    [Range(1, 1_000_000)]
    public int PredictionsPerSecond { get; set; } = 20;

    /// <summary>Predictions a client may ask for at once before the rate applies. Defaults to 40.</summary>
    [Range(1, 1_000_000)]
    public int PredictionBurst { get; set; } = 40;

    /// <summary>
    /// Explanations and corrections each client may send per second, on average. Defaults to 2: an explanation costs
    /// as much as 145 predictions, and a correction is kept for good.
    /// </summary>
    [Range(1, 1_000_000)]
    public int ExpensivePerSecond { get; set; } = 2;

    /// <summary>Explanations and corrections a client may send at once before that rate applies. Defaults to 10.</summary>
    [Range(1, 1_000_000)]
    public int ExpensiveBurst { get; set; } = 10;

    /// <summary>The largest image kept with a correction, bytes. Defaults to 256 KB (a 280x280 canvas PNG is about 10 KB).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxCorrectionBytes { get; set; } = 256 * 1024;

    /// <summary>
    /// Corrections the store keeps before refusing more (507). Defaults to 100,000: about 1 GB of canvas PNGs, and
    /// far more than a fine-tuning run needs.
    /// </summary>
    [Range(1, 100_000_000)]
    public int MaxCorrections { get; set; } = 100_000;

    /// <summary>Connections held open at once, from all clients together. Defaults to 1,000.</summary>
    [Range(1, 1_000_000)]
    public int MaxConnections { get; set; } = 1000;

    /// <summary>
    /// Seconds an idle connection is kept open, and a client may take to send its request's headers. Defaults to 15
    /// (Kestrel's own 130 let one client hold hundreds of idle connections for two minutes).
    /// </summary>
    [Range(1, 600)]
    public int KeepAliveSeconds { get; set; } = 15;

    /// <summary>
    /// What computes the answers: <c>onnx</c> (ONNX Runtime, on the model exported in memory at start) or <c>torch</c>
    /// (libtorch). Defaults to <see cref="Engines.Default"/>.
    /// </summary>
    [AllowedValues(Engines.Torch, Engines.Onnx, ErrorMessage = "Serve:Engine must be " + Engines.Torch + " or " + Engines.Onnx + ".")]
    public string Engine { get; set; } = Engines.Default;

    /// <summary>
    /// Threads per forward pass, for either engine. Defaults to 1: one request's batch of one image gains nothing
    /// from more, and concurrent requests then use the cores instead.
    /// </summary>
    [Range(1, 256)]
    public int EngineThreads { get; set; } = 1;

    /// <summary>
    /// The addresses of reverse proxies in front of the app, comma-separated (<c>127.0.0.1,10.0.0.5</c>), whose
    /// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> name the client the rate limits and visit counts see.
    /// Defaults to none: the headers are ignored, so that no client can choose its own address.
    /// </summary>
    public string? TrustedProxies { get; set; }

    /// <summary>
    /// A key that corrections (<c>POST /api/feedback</c>) and the counts (<c>GET /api/stats</c>) must then carry in the
    /// <c>X-Api-Key</c> header; at least 16 characters. Defaults to none: both stay open, as the page uses them.
    /// </summary>
    [MinLength(16, ErrorMessage = "Serve:ApiKey must be at least 16 characters long.")]
    public string? ApiKey { get; set; }

    /// <summary>The <see cref="TrustedProxies"/> as addresses.</summary>
    public IReadOnlyList<IPAddress> ProxyAddresses() => [.. Proxies().Select(IPAddress.Parse)];

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (string proxy in Proxies())
        {
            if (!IPAddress.TryParse(proxy, out _))
            {
                yield return new ValidationResult($"Serve:TrustedProxies takes IP addresses separated by commas, as in 127.0.0.1,10.0.0.5; '{proxy}' is not one.", [nameof(TrustedProxies)]);
            }
        }
    }

    private string[] Proxies() => (TrustedProxies ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
