using System.Text.Json;
using System.Text.RegularExpressions;
using Digits.Core.Data;
using Digits.Core.Evaluation;
using Digits.Core.Preprocessing;
using Digits.Tests.Support;
using Microsoft.Playwright;
using SkiaSharp;
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
        await using BrowserPage opened = await OpenAsync();
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
        await using BrowserPage opened = await OpenAsync();
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
        await using BrowserPage opened = await OpenAsync();
        (IPage page, IReadOnlyList<string> errors) = opened;
        long before = await CorrectionsAsync(page);
        PenDigit digit = OnePerClass()[5];
        await DrawWithMouseAsync(page, digit);
        await PredictAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "It was 5" }).ClickAsync();

        await Expect(page.Locator("#thanks")).ToContainTextAsync("Saved as a 5");
        await Expect(page.Locator("#stats")).ToContainTextAsync($"{before + 1} corrections");
        Assert.Equal(before + 1, await CorrectionsAsync(page));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Explain_OpensWithTheSaliencyAndEveryLayersMaps()
    {
        await using BrowserPage opened = await OpenAsync();
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
        await using BrowserPage opened = await OpenAsync();
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
    public async Task PhoneScreen_DrawingWithAFinger_Works_AndNothingOverflows()
    {
        await using BrowserPage opened = await OpenAsync(new BrowserNewPageOptions
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
        await using BrowserPage opened = await OpenAsync();
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

    /// <summary>Opens the drawing page, collecting console errors and uncaught exceptions; disposing it closes the page.</summary>
    private async Task<BrowserPage> OpenAsync(BrowserNewPageOptions? options = null)
    {
        BrowserPage opened = await app.NewPageAsync(options);
        await opened.Page.GotoAsync(app.Address);
        await Expect(opened.Page.Locator("#chart li")).ToHaveCountAsync(10);
        return opened;
    }

    /// <summary>Draws the digit's strokes on the canvas as a person would with a mouse.</summary>
    private static async Task DrawWithMouseAsync(IPage page, PenDigit digit)
    {
        LocatorBoundingBoxResult box = (await page.GetByRole(AriaRole.Img, new() { Name = "Drawing square" }).BoundingBoxAsync())!;
        float scale = box.Width / PageCanvas.Size;
        foreach (IReadOnlyList<SKPoint> stroke in digit.OnCanvas(PageCanvas.Size))
        {
            await page.Mouse.MoveAsync(box.X + (stroke[0].X * scale), box.Y + (stroke[0].Y * scale));
            await page.Mouse.DownAsync();
            foreach (SKPoint point in stroke.Skip(1))
            {
                await page.Mouse.MoveAsync(box.X + (point.X * scale), box.Y + (point.Y * scale));
            }
            await page.Mouse.UpAsync();
        }
    }

    /// <summary>Presses Predict, and once the answer to that request is shown, returns it.</summary>
    private static async Task<int> PredictAsync(IPage page)
    {
        IResponse response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Predict" }).ClickAsync(),
            r => r.Url.EndsWith("/api/predict", StringComparison.Ordinal));
        JsonElement answer = (await response.JsonAsync())!.Value;
        int digit = answer.GetProperty("digit").GetInt32();
        await Expect(page.GetByLabel("Predicted digit")).ToHaveTextAsync(digit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(page.Locator("#status")).ToHaveTextAsync(new Regex("sure", RegexOptions.IgnoreCase));
        return digit;
    }

    private async Task<long> CorrectionsAsync(IPage page)
    {
        IAPIResponse stats = await page.APIRequest.GetAsync(app.Address + "/api/stats");
        return (await stats.JsonAsync())!.Value.GetProperty("corrections").GetInt64();
    }
}
