using Digits.Core.Data;
using Digits.Core.Inference;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Digits.Plots;
using Digits.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Digits.Web.BrowserTests;

/// <summary><c>digits report</c>'s page, opened from disk in the browser: every section shows, every picture loads, nothing complains.</summary>
public sealed class ReportPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Report_OfTheShippedModel_LoadsWithEverySectionAndPicture_AndNoConsoleErrors()
    {
        using var folder = new TempDirectory();
        string path = folder.File("report.html");
        SavedModel saved = ModelFile.Load(ShippedModel.Locate());
        TestSetFigures figures;
        using (MnistDataset test = MnistDataset.Load(SharedMnist.Folder, MnistSplit.Test, limit: 2000))
        {
            figures = new TestSetFigures(saved, test);
        }
        File.WriteAllText(path, HtmlReport.Build(saved, ModelSummary.Of(saved.Definition), figures, latencyMilliseconds: 1.0));
        await using BrowserPage opened = await app.NewPageAsync();
        (IPage page, IReadOnlyList<string> errors) = opened;
        var requests = new List<string>();
        page.Request += (_, request) => requests.Add(request.Url);

        await page.GotoAsync(new Uri(path).AbsoluteUri);

        foreach (string section in HtmlReport.Sections)
        {
            await Expect(page.Locator($"section#{section}")).ToBeVisibleAsync();
        }
        ILocator pictures = page.Locator("img");
        await Expect(pictures).ToHaveCountAsync(4);
        for (int i = 0; i < 4; i++)
        {
            Assert.True(await pictures.Nth(i).EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), $"picture {i + 1} did not load");
        }
        await BrowserApp.ScreenshotAsync(page, "report.png");
        Assert.Empty(errors);
        Assert.All(requests, url => Assert.StartsWith("file:", url, StringComparison.Ordinal));
    }
}
