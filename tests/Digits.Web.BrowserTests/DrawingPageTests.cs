using System.Text.Json;
using System.Text.RegularExpressions;
using Digits.Core.Data;
using Digits.Core.Evaluation;
using Digits.Core.Preprocessing;
using Digits.Tests.Support;
using Microsoft.Playwright;
using SkiaSharp;
using static Digits.Web.BrowserTests.PageActions;
using static Microsoft.Playwright.Assertions;

namespace Digits.Web.BrowserTests;

/// <summary>
/// The drawing page in a real browser: real pen-tablet strokes drawn with the mouse and with touch, the answer and
/// the chart, Clear, corrections, uploads and a phone-sized screen. Every wait is on a locator or a response.
/// </summary>
public sealed class DrawingPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    /// <summary>The first digit of each class, each from a different writer where the set allows.</summary>
    private static IReadOnlyList<PenDigit> OnePerClass() =>
        [.. Enumerable.Range(0, 10).Select(label => SharedPenDigits.Digits.Where(d => d.Label == label).ElementAt(label % 3))];

    [Fact]
    public async Task Draw_RealStrokesWithTheMouse_ShowsTheAnswerAndTheChart()
    {
        await using BrowserPage opened = await OpenAsync(app);
        (IPage page, IReadOnlyList<string> errors) = opened;
        int right = 0;
        foreach (PenDigit digit in OnePerClass())
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Clear" }).ClickAsync();
            await DrawWithMouseAsync(page, digit);
            int answer = await PredictAsync(page);

            ILocator top = page.Locator("#chart li.top");
            await Expect(top).ToHaveCountAsync(1);
            await Expect(top.Locator(".label")).ToHaveTextAsync(answer.ToString(System.Globalization.CultureInfo.InvariantCulture));
            string width = await top.Locator(".fill").EvaluateAsync<string>("e => e.style.width");
            Assert.True(double.Parse(width.TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture) > 10, $"top bar is {width} wide");
            right += answer == digit.Label ? 1 : 0;
        }

        await BrowserApp.ScreenshotAsync(page, "desktop.png");
        Assert.True(right >= 9, $"{right} of 10 drawn digits read right");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Clear_AfterAnAnswer_ResetsThePage()
    {
        await using BrowserPage opened = await OpenAsync(app);
        (IPage page, IReadOnlyList<string> errors) = opened;
        await DrawWithMouseAsync(page, OnePerClass()[3]);
        await PredictAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Clear" }).ClickAsync();

        await Expect(page.GetByLabel("Predicted digit")).ToHaveTextAsync("?");
        await Expect(page.Locator("#status")).ToHaveTextAsync("Draw a digit to start.");
        await Expect(page.Locator("#chart li.top")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "It was 3" })).ToBeDisabledAsync();
        string ink = await page.Locator("#canvas").EvaluateAsync<string>(
            "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; for (let i = 0; i < d.length; i += 4) if (d[i] < 250) return 'ink'; return 'blank'; }");
        Assert.Equal("blank", ink);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Correction_IsStoredAndCountedInStats()
    {
        await using BrowserPage opened = await OpenAsync(app);
        (IPage page, IReadOnlyList<string> errors) = opened;
        long before = await CountAsync(app, page, "corrections");
        PenDigit digit = OnePerClass()[5];
        await DrawWithMouseAsync(page, digit);
        await PredictAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "It was 5" }).ClickAsync();

        await Expect(page.Locator("#thanks")).ToContainTextAsync("Saved as a 5");
        // Counted in words a person would write: "1 correction", "2 corrections".
        await Expect(page.Locator("#stats")).ToHaveTextAsync(new Regex($"· {before + 1} {(before + 1 == 1 ? "correction" : "corrections")}$"));
        Assert.Equal(before + 1, await CountAsync(app, page, "corrections"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Explain_OpensWithTheSaliencyAndEveryLayersMaps()
    {
        await using BrowserPage opened = await OpenAsync(app);
        (IPage page, IReadOnlyList<string> errors) = opened;
        await DrawWithMouseAsync(page, OnePerClass()[2]);
        int answer = await PredictAsync(page);

        await page.GetByText("Explain this answer").ClickAsync();

        await Expect(page.Locator("#explain-status")).ToHaveTextAsync($"Why {answer}: the red ink matters most to the answer.");
        await Expect(page.Locator("#layers h3")).ToHaveCountAsync(3);
        await Expect(page.Locator("#layers canvas")).ToHaveCountAsync(48);
        string red = await page.Locator("#saliency").EvaluateAsync<string>(
            "c => { const d = c.getContext('2d').getImageData(0, 0, 28, 28).data; for (let i = 0; i < d.length; i += 4) if (d[i] > 200 && d[i + 1] < 80) return 'red'; return 'none'; }");
        Assert.Equal("red", red);
        await BrowserApp.ScreenshotAsync(page, "explain.png");
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Upload_APicture_IsReadAndShown()
    {
        await using BrowserPage opened = await OpenAsync(app);
        (IPage page, IReadOnlyList<string> errors) = opened;
        PenDigit digit = OnePerClass()[8];

        IResponse response = await page.RunAndWaitForResponseAsync(
            () => page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "digit.png", MimeType = "image/png", Buffer = TestPictures.CanvasPng(digit) }),
            r => r.Url.EndsWith("/api/predict", StringComparison.Ordinal));
        int answer = (await response.JsonAsync())!.Value.GetProperty("digit").GetInt32();

        await Expect(page.GetByLabel("Predicted digit")).ToHaveTextAsync(answer.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(digit.Label, answer);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Tap_OnTheCanvas_ShowsAQuestionMark_NoBars_AndNothingToCorrect()
    {
        await using BrowserPage opened = await OpenAsync(app);
        (IPage page, IReadOnlyList<string> errors) = opened;
        LocatorBoundingBoxResult box = (await page.Locator("#canvas").BoundingBoxAsync())!;
        long before = await CountAsync(app, page, "predictions");

        // One tap: the pen comes down and up at once, which asks for an answer.
        await page.RunAndWaitForResponseAsync(
            () => page.Mouse.ClickAsync(box.X + (box.Width / 2), box.Y + (box.Height / 2)),
            r => r.Url.EndsWith("/api/predict", StringComparison.Ordinal));

        await Expect(page.Locator("#status")).ToContainTextAsync("a dot or a filled blob");
        await AssertNoAnswerShownAsync(page);
        // The footer counts this prediction too, not only those made before the page was loaded.
        await Expect(page.Locator("#stats")).ToContainTextAsync(new Regex($"· {before + 1:N0} predictions? ·"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Upload_ATextFileAfterAnAnswer_LeavesOnlyTheError()
    {
        await using BrowserPage opened = await OpenAsync(app);
        (IPage page, IReadOnlyList<string> errors) = opened;
        await DrawWithMouseAsync(page, OnePerClass()[6]);
        await PredictAsync(page);

        await page.RunAndWaitForResponseAsync(
            () => page.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "notes.txt", MimeType = "text/plain", Buffer = "not a picture"u8.ToArray() }),
            r => r.Url.EndsWith("/api/predict", StringComparison.Ordinal));

        await Expect(page.Locator("#status.error")).ToContainTextAsync("Not an image");
        await AssertNoAnswerShownAsync(page);
        // The browser logs the refused request itself; the page's own code throws nothing.
        Assert.All(errors, e => Assert.Contains("400", e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PhoneScreen_DrawingWithAFinger_Works_AndNothingOverflows()
    {
        await using BrowserPage opened = await OpenAsync(app, new BrowserNewPageOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            DeviceScaleFactor = 3,
            IsMobile = true,
            HasTouch = true,
        });
        (IPage page, IReadOnlyList<string> errors) = opened;
        PenDigit digit = OnePerClass()[4];
        ICDPSession touch = await page.Context.NewCDPSessionAsync(page);
        LocatorBoundingBoxResult box = (await page.Locator("#canvas").BoundingBoxAsync())!;

        foreach (IReadOnlyList<SKPoint> stroke in digit.OnCanvas(PageCanvas.Size))
        {
            for (int i = 0; i < stroke.Count; i++)
            {
                string type = i == 0 ? "touchStart" : "touchMove";
                await touch.SendAsync("Input.dispatchTouchEvent", new Dictionary<string, object>
                {
                    ["type"] = type,
                    ["touchPoints"] = new[] { new Dictionary<string, object> { ["x"] = box.X + (stroke[i].X * box.Width / PageCanvas.Size), ["y"] = box.Y + (stroke[i].Y * box.Height / PageCanvas.Size) } },
                });
            }
            await touch.SendAsync("Input.dispatchTouchEvent", new Dictionary<string, object> { ["type"] = "touchEnd", ["touchPoints"] = Array.Empty<object>() });
        }
        int answer = await PredictAsync(page);
        await BrowserApp.ScreenshotAsync(page, "phone.png");

        Assert.Equal(digit.Label, answer);
        Assert.True(box.Width <= 390, $"the canvas is {box.Width} px wide on a 390 px screen");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page scrolls sideways");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Predict" })).ToBeInViewportAsync();
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Controls_AreReachableByKeyboard_WithLabels()
    {
        await using BrowserPage opened = await OpenAsync(app);
        (IPage page, IReadOnlyList<string> errors) = opened;

        var focused = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            focused.Add(await page.EvaluateAsync<string>("() => document.activeElement.textContent || document.activeElement.id"));
        }

        Assert.Equal(["Predict", "Clear", "file"], focused);
        await Expect(page.GetByLabel("Upload a picture")).ToBeAttachedAsync();
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Wrong? It was …" }).GetByRole(AriaRole.Button)).ToHaveCountAsync(10);
        Assert.Empty(errors);
    }
}
