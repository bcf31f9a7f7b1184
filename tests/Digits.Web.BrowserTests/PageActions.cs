using System.Text.Json;
using System.Text.RegularExpressions;
using Digits.Core.Data;
using Digits.Core.Preprocessing;
using Microsoft.Playwright;
using SkiaSharp;
using static Microsoft.Playwright.Assertions;

namespace Digits.Web.BrowserTests;

/// <summary>What the page tests do on the drawing page, as a person would: open it, draw, predict, read the counts.</summary>
public static class PageActions
{
    /// <summary>Opens the drawing page, collecting console errors and uncaught exceptions; disposing it closes the page.</summary>
    public static async Task<BrowserPage> OpenAsync(BrowserApp app, BrowserNewPageOptions? options = null)
    {
        BrowserPage opened = await app.NewPageAsync(options);
        await opened.Page.GotoAsync(app.Address);
        await Expect(opened.Page.Locator("#chart li")).ToHaveCountAsync(10);
        return opened;
    }

    /// <summary>Draws the digit's strokes on the canvas as a person would with a mouse.</summary>
    public static Task DrawWithMouseAsync(IPage page, PenDigit digit) => DrawWithMouseAsync(page, digit, ..);

    /// <summary>Draws the <paramref name="strokes"/> of the digit, laid out on the canvas as the whole digit is.</summary>
    public static async Task DrawWithMouseAsync(IPage page, PenDigit digit, Range strokes)
    {
        LocatorBoundingBoxResult box = (await page.GetByRole(AriaRole.Img, new() { Name = "Drawing square" }).BoundingBoxAsync())!;
        float scale = box.Width / PageCanvas.Size;
        foreach (IReadOnlyList<SKPoint> stroke in digit.OnCanvas(PageCanvas.Size).Take(strokes))
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
    public static async Task<int> PredictAsync(IPage page)
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

    /// <summary>One of the server's counts, <c>predictions</c> or <c>corrections</c>.</summary>
    public static async Task<long> CountAsync(BrowserApp app, IPage page, string name)
    {
        IAPIResponse stats = await page.APIRequest.GetAsync(app.Address + "/api/stats");
        return (await stats.JsonAsync())!.Value.GetProperty(name).GetInt64();
    }

    /// <summary>"?" with empty bars, and every correction button disabled.</summary>
    public static async Task AssertNoAnswerShownAsync(IPage page)
    {
        await Expect(page.GetByLabel("Predicted digit")).ToHaveTextAsync("?");
        await Expect(page.Locator("#chart li.top")).ToHaveCountAsync(0);
        Assert.All(await page.Locator("#chart .pct").AllTextContentsAsync(), pct => Assert.Equal("0%", pct));
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Wrong? It was …" }).GetByRole(AriaRole.Button, new() { Disabled = false })).ToHaveCountAsync(0);
    }
}
