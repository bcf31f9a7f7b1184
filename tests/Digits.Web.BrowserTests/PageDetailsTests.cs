using Digits.Core.Data;
using Digits.Tests.Support;
using Microsoft.Playwright;
using static Digits.Web.BrowserTests.PageActions;
using static Microsoft.Playwright.Assertions;

namespace Digits.Web.BrowserTests;

/// <summary>What users of such demos expect of the page: undo, keys, a dark theme, and no rough edges.</summary>
public sealed class PageDetailsTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    /// <summary>A digit written in more than one stroke, so that undoing one leaves ink.</summary>
    private static PenDigit TwoStrokes() => SharedPenDigits.Digits.First(d => d.Label == 4 && d.Strokes.Count >= 2);

    /// <summary>What the canvas holds, as a short string that changes with any pixel.</summary>
    private static Task<string> CanvasAsync(IPage page) => page.Locator("#canvas").EvaluateAsync<string>(
        "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let h = 0; for (let i = 0; i < d.length; i += 4) h = (h * 31 + d[i]) | 0; return String(h); }");

    [Fact]
    public async Task Undo_TakesBackTheLastStroke_AndAsksAgain()
    {
        await using BrowserPage opened = await OpenAsync(app);
        (IPage page, IReadOnlyList<string> errors) = opened;
        PenDigit digit = TwoStrokes();
        string blank = await CanvasAsync(page);
        await DrawWithMouseAsync(page, digit, ..^1);
        string firstStrokes = await CanvasAsync(page);
        await DrawWithMouseAsync(page, digit, ^1..);

        await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Undo" }).ClickAsync(),
            r => r.Url.EndsWith("/api/predict", StringComparison.Ordinal));

        Assert.Equal(firstStrokes, await CanvasAsync(page));
        // Ctrl+Z takes back the rest; with nothing left the page is as after Clear.
        await page.Keyboard.PressAsync("Control+z");
        Assert.Equal(blank, await CanvasAsync(page));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Undo" })).ToBeDisabledAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("Draw a digit to start.");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task EnterPredicts_EscapeClears()
    {
        await using BrowserPage opened = await OpenAsync(app);
        (IPage page, IReadOnlyList<string> errors) = opened;
        PenDigit digit = SharedPenDigits.Digits.First(d => d.Label == 3);
        await DrawWithMouseAsync(page, digit);
        await Expect(page.Locator("#chart li.top")).ToHaveCountAsync(1);
        await page.GetByRole(AriaRole.Button, new() { Name = "Clear" }).ClickAsync();
        await DrawWithMouseAsync(page, digit);

        IResponse answer = await page.RunAndWaitForResponseAsync(() => page.Keyboard.PressAsync("Enter"), r => r.Url.EndsWith("/api/predict", StringComparison.Ordinal));
        Assert.True(answer.Ok);
        await Expect(page.Locator("#chart li.top")).ToHaveCountAsync(1);
        await page.Keyboard.PressAsync("Escape");

        await Expect(page.GetByLabel("Predicted digit")).ToHaveTextAsync("?");
        await Expect(page.Locator("#chart li.top")).ToHaveCountAsync(0);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task DarkSystemSetting_DarkensThePage_ButTheDrawingSquareStaysWhitePaper()
    {
        await using BrowserPage opened = await OpenAsync(app, new BrowserNewPageOptions { ColorScheme = ColorScheme.Dark });
        (IPage page, IReadOnlyList<string> errors) = opened;

        int[] background = await page.EvaluateAsync<int[]>("() => getComputedStyle(document.documentElement).backgroundColor.match(/\\d+/g).slice(0, 3).map(Number)");
        int[] paper = await page.Locator("#canvas").EvaluateAsync<int[]>("c => Array.from(c.getContext('2d').getImageData(5, 5, 1, 1).data.slice(0, 3))");

        Assert.All(background, v => Assert.InRange(v, 0, 60));
        Assert.Equal([255, 255, 255], paper);
        await BrowserApp.ScreenshotAsync(page, "dark.png");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Explain_ShowsADisclosureMarker_AndTheSeenImageStaysPutAsTheStatusChanges()
    {
        await using BrowserPage opened = await OpenAsync(app);
        (IPage page, IReadOnlyList<string> errors) = opened;
        string marker = await page.Locator("#explain summary").EvaluateAsync<string>("s => getComputedStyle(s, '::before').content");
        LocatorBoundingBoxResult first = (await page.Locator("#seen").BoundingBoxAsync())!;

        // A long status: the reason a tap is not a digit.
        LocatorBoundingBoxResult box = (await page.Locator("#canvas").BoundingBoxAsync())!;
        await page.RunAndWaitForResponseAsync(() => page.Mouse.ClickAsync(box.X + 40, box.Y + 40), r => r.Url.EndsWith("/api/predict", StringComparison.Ordinal));
        await Expect(page.Locator("#status")).ToContainTextAsync("dot");
        LocatorBoundingBoxResult second = (await page.Locator("#seen").BoundingBoxAsync())!;

        Assert.NotEqual("none", marker);
        Assert.Equal((first.X, first.Y), (second.X, second.Y));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Phone_IsNotToldToDropAPicture()
    {
        await using BrowserPage opened = await OpenAsync(app, new BrowserNewPageOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
        });
        (IPage page, IReadOnlyList<string> errors) = opened;

        await Expect(page.Locator("header p")).Not.ToContainTextAsync("drop", new() { UseInnerText = true });
        await Expect(page.Locator("header p")).Not.ToContainTextAsync("Esc", new() { UseInnerText = true });
        Assert.Empty(errors);
    }
}
