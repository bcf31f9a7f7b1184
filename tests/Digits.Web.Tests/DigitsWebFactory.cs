using System.Net;
using Digits.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Digits.Web.Tests;

/// <summary>
/// The real app in memory, with its SQLite store in a temporary folder and a rate limit no test reaches unless it
/// sets its own. The in-memory server has no remote address; a request may name one in <see cref="ClientHeader"/>.
/// </summary>
public sealed class DigitsWebFactory : WebApplicationFactory<Program>
{
    private readonly TempDirectory _folder = new();
    private readonly Dictionary<string, string?> _settings;

    /// <summary>Creates the factory; <paramref name="settings"/> override configuration keys (e.g. <c>Serve:PredictionBurst</c>), and a null value leaves a key unset.</summary>
    public DigitsWebFactory(Dictionary<string, string?>? settings = null)
    {
        _settings = new Dictionary<string, string?>
        {
            ["Store:Directory"] = _folder.Path,
            ["Serve:PredictionsPerSecond"] = "100000",
            ["Serve:PredictionBurst"] = "100000",
            ["Serve:ExpensivePerSecond"] = "100000",
            ["Serve:ExpensiveBurst"] = "100000",
        };
        foreach ((string key, string? value) in settings ?? [])
        {
            if (value is null)
            {
                _settings.Remove(key);
            }
            else
            {
                _settings[key] = value;
            }
        }
    }

    /// <summary>A request header that sets the request's remote address, as if it came from that client.</summary>
    public const string ClientHeader = "X-Test-Client";

    /// <summary>The store's folder.</summary>
    public string StoreDirectory => _folder.Path;

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach ((string key, string? value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter, ClientAddressFromHeader>());
    }

    /// <summary>Runs first: a request with <see cref="ClientHeader"/> comes from that address.</summary>
    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[ClientHeader].ToString(), out IPAddress? address))
                {
                    context.Connection.RemoteIpAddress = address;
                }
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _folder.Dispose();
        }
    }
}
