using Microsoft.AspNetCore.Http.HttpResults;

namespace Digits.Web.Endpoints;

/// <summary>
/// Refuses requests that a browser sent from another web site's page. A page elsewhere can make a visitor's browser
/// post a correction or a text/plain form here (<c>fetch(url, {mode: "no-cors"})</c>) without ever reading the
/// answer; browsers say where such a request came from, in <c>Sec-Fetch-Site</c> and <c>Origin</c>. Programs such
/// as curl or a Python script send neither header, so the API stays open to them.
/// </summary>
internal static class SameSiteWrites
{
    /// <summary>Answers 403 ProblemDetails, before the handler runs, to a request from another site's page.</summary>
    public static RouteHandlerBuilder RefusesOtherSites(this RouteHandlerBuilder endpoint) => endpoint.AddEndpointFilter(async (context, next) =>
        FromAnotherSite(context.HttpContext.Request) is { } refusal
            ? TypedResults.Problem(refusal, statusCode: StatusCodes.Status403Forbidden)
            : await next(context));

    /// <summary>Why <paramref name="request"/> counts as sent by another site's page, or null when it does not.</summary>
    /// <remarks>
    /// <c>Sec-Fetch-Site</c> decides where the browser sent it, since the browser computes it from the page itself and
    /// a reverse proxy that rewrites <c>Host</c> cannot spoil it. Older browsers send only <c>Origin</c>, which must
    /// then name this host.
    /// </remarks>
    public static string? FromAnotherSite(HttpRequest request)
    {
        const string Advice = "The API takes requests from its own page, or from programs that send no Origin header.";
        string site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0)
        {
            return site is "same-origin" or "none" ? null : $"This request came from another web site's page (Sec-Fetch-Site: {site}). {Advice}";
        }
        string origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || (Uri.TryCreate(origin, UriKind.Absolute, out Uri? from) && string.Equals(from.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }
        return $"This request came from a page of another origin than this site's. {Advice}";
    }
}
