namespace Digits.Web;

/// <summary>
/// The headers every answer carries so that a browser keeps the page to itself: its own scripts, styles and
/// connections only (no inline code, which an injected string would need), no framing by other sites, no sniffing
/// of content types, and no referrer sent elsewhere.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>
    /// The page's policy. Pictures may also be data: URLs (the page's empty icon) and blob: URLs (a dropped file);
    /// everything else comes from this site.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The browsable API description, whose third-party page runs inline code of its own; it gets the other headers.</summary>
    private const string ApiDocs = "/api/docs";

    /// <summary>Adds the headers to every response, before anything else writes it.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        IHeaderDictionary headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        if (!context.Request.Path.StartsWithSegments(ApiDocs))
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
        }
        return next(context);
    });
}
