using Microsoft.Playwright;

namespace Digits.Web.BrowserTests;

/// <summary>A page opened by <see cref="BrowserApp.NewPageAsync"/> and what went wrong on it; disposing it closes the page.</summary>
public sealed class BrowserPage : IAsyncDisposable
{
    /// <summary>Wraps <paramref name="page"/> and the list its handlers add errors to.</summary>
    public BrowserPage(IPage page, IReadOnlyList<string> errors)
    {
        Page = page;
        Errors = errors;
    }

    /// <summary>The page.</summary>
    public IPage Page { get; }

    /// <summary>The console errors and uncaught exceptions so far, in order.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>Gives the page and its errors, for <c>(IPage page, IReadOnlyList&lt;string&gt; errors) = opened;</c>.</summary>
    public void Deconstruct(out IPage page, out IReadOnlyList<string> errors) => (page, errors) = (Page, Errors);

    /// <summary>Closes the page.</summary>
    public async ValueTask DisposeAsync() => await Page.CloseAsync();
}
