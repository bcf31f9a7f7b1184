using System.Text.Json;
using Digits.Core.Inference;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Digits.Onnx;
using Digits.Stores;
using Digits.Web.Api;
using Digits.Web.Endpoints;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using TorchSharp;

namespace Digits.Web;

/// <summary>
/// Builds the web app: the drawing page, the prediction API, the stores, limits and health checks. Used by
/// <c>dotnet run --project src/Digits.Web</c> and by <c>digits serve</c>.
/// </summary>
public static class DigitsWebApp
{
    /// <summary>
    /// Builds the app from <paramref name="args"/> (configuration keys such as <c>--Serve:ModelPath=FILE</c>,
    /// <c>--Store:Redis=localhost:6379</c>, <c>--urls=URL</c>), loading the model and opening the store, so that a
    /// missing or damaged model stops start-up here with a clear message.
    /// </summary>
    /// <exception cref="FileNotFoundException">The model file is missing.</exception>
    /// <exception cref="InvalidDataException">The model file is not a digit model, or damaged.</exception>
    /// <exception cref="IOException">The store cannot be opened.</exception>
    /// <exception cref="FormatException">An address to listen on (<c>--urls</c>) is not a URL.</exception>
    public static WebApplication Create(string[] args)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // The page travels with the program, so it is found whatever the current folder.
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        // Request-by-request logs would drown the console under load; warnings and errors stay.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // The host logs a failed start (a busy port) with its stack trace before the program says it in one line; the app
        // runs no background services, whose faults the host would also log here.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        // A server that listens only on this machine answers only to this machine's names, so that a web page whose
        // name an attacker points at 127.0.0.1 (DNS rebinding) cannot read or write through it. AllowedHosts says otherwise.
        // Ports or endpoints set another way (ASPNETCORE_HTTP_PORTS in containers, Kestrel:Endpoints) listen on every address.
        bool portsElsewhere = builder.Configuration["http_ports"] is not null || builder.Configuration["https_ports"] is not null
            || builder.Configuration.GetSection("Kestrel:Endpoints").Exists();
        if (builder.Configuration["AllowedHosts"] is null && !portsElsewhere && ListensOnlyOnLoopback(builder.Configuration["urls"]))
        {
            builder.Configuration["AllowedHosts"] = LoopbackHosts;
        }
        AddServices(builder.Services);
        WebApplication app = builder.Build();
        MapEverything(app);
        // Fail now, not at the first request: load the model and open the store.
        app.Services.GetRequiredService<Predictor>();
        app.Services.GetRequiredService<IDigitsStore>();
        return app;
    }

    /// <summary>The names a server listening only on loopback answers to, unless <c>AllowedHosts</c> is set.</summary>
    public const string LoopbackHosts = "localhost;127.0.0.1;[::1]";

    /// <summary>True when every address of <paramref name="urls"/> (<c>--urls</c>, default <c>http://localhost:5000</c>) is on loopback.</summary>
    /// <exception cref="FormatException">An address is not a URL to listen on, said in one sentence.</exception>
    internal static bool ListensOnlyOnLoopback(string? urls) =>
        (string.IsNullOrWhiteSpace(urls) ? "http://localhost:5000" : urls)
            .Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(Listening)
            .All(host => host == "localhost" || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out System.Net.IPAddress? address) && System.Net.IPAddress.IsLoopback(address)));

    /// <summary>The host part of one address to listen on.</summary>
    private static string Listening(string url)
    {
        try
        {
            BindingAddress address = BindingAddress.Parse(url);
            if (address.Scheme is "http" or "https")
            {
                return address.Host;
            }
        }
        catch (FormatException)
        {
            // Said below, in the user's terms.
        }
        throw new FormatException($"'{url}' is not an address to listen on; give one such as http://localhost:5000 or http://0.0.0.0:8080 (several separated by ';').");
    }

    /// <summary>True for the failures <see cref="Create"/> reports as one line: a missing or bad model, an unreachable store, bad settings.</summary>
    public static bool IsStartupError(Exception e) =>
        e is FileNotFoundException or InvalidDataException or IOException or OptionsValidationException or UnauthorizedAccessException or FormatException;

    private static void AddServices(IServiceCollection services)
    {
        services.AddOptions<ServeOptions>().BindConfiguration(ServeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StoreOptions>().BindConfiguration(StoreOptions.Section);
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ServeOptions>>((kestrel, serve) =>
        {
            kestrel.Limits.MaxRequestBodySize = serve.Value.MaxRequestBytes;
            // Idle and slow connections are closed soon, and their number is capped, so a few clients cannot hold them all.
            kestrel.Limits.MaxConcurrentConnections = serve.Value.MaxConnections;
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(serve.Value.KeepAliveSeconds);
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(serve.Value.KeepAliveSeconds);
        });
        services.AddSingleton(provider =>
        {
            ServeOptions serve = provider.GetRequiredService<IOptions<ServeOptions>>().Value;
            torch.set_num_threads(serve.EngineThreads);
            string path = serve.ModelPath ?? ShippedModel.Locate();
            Predictor predictor = Engines.Open(ModelFile.Load(path), serve.Engine, threads: serve.EngineThreads);
            if (!predictor.ReadsDigits)
            {
                NetworkSpec network = predictor.Manifest.Network;
                predictor.Dispose();
                throw new InvalidDataException(
                    $"'{path}' takes [{string.Join(", ", network.Input)}] pictures into {network.Classes} classes; the web app reads digits drawn on its canvas, so it needs a model of 1x28x28 images into 10 classes.");
            }
            return predictor;
        });
        services.AddSingleton(provider => Describe(provider.GetRequiredService<Predictor>()));
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<StoreOptions>>().Value.Open());
        services.AddSingleton<DigitRequestReader>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<VisitGate>();
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            // Routing refuses a content type an endpoint does not accept before any handler runs; say what it takes.
            if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType && context.ProblemDetails.Detail is null)
            {
                context.ProblemDetails.Detail = $"Content type {DigitRequestReader.Shown(context.HttpContext.Request.ContentType)} is not accepted here. " +
                    (context.HttpContext.Request.Path.StartsWithSegments("/api/predict") || context.HttpContext.Request.Path.StartsWithSegments("/api/explain")
                        ? DigitRequestReader.AcceptedForms
                        : "Send JSON.");
            }
        });
        services.AddPredictionRateLimit();
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Digits";
            document.Info.Description = "Handwritten-digit recognition: draw or send a digit, get the answer.";
            return Task.CompletedTask;
        }));
        services.AddHealthChecks()
            .AddCheck<ModelHealthCheck>("model", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<StoreHealthCheck>("store", tags: [HealthEndpoints.ReadyTag]);
    }

    private static void MapEverything(WebApplication app)
    {
        IReadOnlyList<System.Net.IPAddress> proxies = app.Services.GetRequiredService<IOptions<ServeOptions>>().Value.ProxyAddresses();
        if (proxies.Count > 0)
        {
            // Only these proxies' word is taken for who the client is; a forwarded header from anyone else is ignored.
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (System.Net.IPAddress proxy in proxies)
            {
                forwarded.KnownProxies.Add(proxy);
            }
            app.UseForwardedHeaders(forwarded);
        }
        app.UseSecurityHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseStaticFiles();
        app.UseRateLimiter();
        app.MapSiteEndpoints();
        app.MapPredictionEndpoints();
        app.MapOpenApi();
        app.UseSwaggerUI(ui =>
        {
            ui.SwaggerEndpoint("/openapi/v1.json", "Digits API");
            ui.RoutePrefix = "api/docs";
            ui.DocumentTitle = "Digits API";
            // The default validator badge calls a public server; the page must work offline.
            ui.ConfigObject.ValidatorUrl = null;
        });
        app.MapHealthEndpoints();
    }

    private static ModelInfo Describe(Predictor predictor)
    {
        ModelManifest manifest = predictor.Manifest;
        return new ModelInfo(
            predictor.Id, manifest.Model, manifest.Description, ModelSummary.Of(manifest.ToDefinition()).TotalParameters,
            manifest.Metrics.TryGetValue(ModelManifest.TestAccuracy, out double accuracy) ? accuracy : null,
            predictor.Calibration.Threshold, manifest.CreatedAt, predictor.Engine);
    }
}
