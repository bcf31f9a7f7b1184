using Digits.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;

namespace Digits.Web.BrowserTests;

/// <summary>
/// The real app on a free loopback port (Kestrel, as users get it), and Debian's chromium driven by Playwright.
/// Playwright cannot download its own browser here, so it is pointed at the system one.
/// </summary>
public sealed class BrowserApp : IAsyncLifetime
{
    private static readonly string[] s_chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

    private readonly TempDirectory _store = new();
    private WebApplication? _app;
    private IPlaywright? _playwright;

    /// <summary>The browser.</summary>
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The app's address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Address { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        string executable = s_chromium.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("chromium is not installed; .ci/run installs it (apt-get install chromium).");
        _app = DigitsWebApp.Create(["--urls=http://127.0.0.1:0", $"--Store:Directory={_store.Path}"]);
        await _app.StartAsync();
        Address = _app.Urls.First();
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            // No sandbox as root; no background calls to the closed network.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>
    /// A new page of its own (a fresh context), collecting console errors and uncaught exceptions from the start.
    /// Disposing it closes the page.
    /// </summary>
    public async Task<BrowserPage> NewPageAsync(BrowserNewPageOptions? options = null)
    {
        IPage page = await Browser.NewPageAsync(options);
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        return new BrowserPage(page, errors);
    }

    /// <summary>Keeps a picture of the whole page beside the test binaries (screenshots/), for people to look at.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", name), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        _store.Dispose();
    }
}
