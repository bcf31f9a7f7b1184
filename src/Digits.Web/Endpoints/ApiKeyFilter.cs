using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Digits.Web.Endpoints;

/// <summary>
/// Asks for <see cref="ServeOptions.ApiKey"/>, when one is set, in the <c>X-Api-Key</c> header of the requests that
/// keep data or read the counts. Without a key set, those requests stay open, as the page needs them.
/// </summary>
internal static class ApiKeyFilter
{
    /// <summary>The request header that carries the key.</summary>
    public const string Header = "X-Api-Key";

    /// <summary>Answers 401 ProblemDetails, before the handler runs, to a request without the key.</summary>
    public static RouteHandlerBuilder RequiresApiKey(this RouteHandlerBuilder endpoint) => endpoint.AddEndpointFilter(async (context, next) =>
    {
        string? key = context.HttpContext.RequestServices.GetRequiredService<IOptions<ServeOptions>>().Value.ApiKey;
        if (key is null || Matches(context.HttpContext.Request.Headers[Header].ToString(), key))
        {
            return await next(context);
        }
        return TypedResults.Problem($"This server keeps corrections and its counts for holders of its API key; send the key in the {Header} header.", statusCode: StatusCodes.Status401Unauthorized);
    });

    /// <summary>Compares in a time that does not depend on where the two first differ, so the key cannot be guessed a character at a time.</summary>
    private static bool Matches(string given, string key) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
