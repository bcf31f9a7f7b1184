using Microsoft.AspNetCore.Http.HttpResults;

namespace Digits.Web.Endpoints;

/// <summary>
/// The endpoint filter that answers a <see cref="BadInputException"/> thrown by a handler with its ProblemDetails
/// (the exception's status and message), so that handlers simply throw. Their return types keep their
/// <see cref="ProblemHttpResult"/>, which describes these answers in the OpenAPI document.
/// </summary>
internal static class BadInputFilter
{
    /// <summary>Answers the <see cref="BadInputException"/>s of <paramref name="endpoint"/>'s handler with <see cref="Problem"/>.</summary>
    public static RouteHandlerBuilder AnswersBadInput(this RouteHandlerBuilder endpoint) => endpoint.AddEndpointFilter(async (context, next) =>
    {
        try
        {
            return await next(context);
        }
        catch (BadInputException e)
        {
            return Problem(e);
        }
    });

    /// <summary>The ProblemDetails answer for a refused request.</summary>
    private static ProblemHttpResult Problem(BadInputException refusal) => TypedResults.Problem(refusal.Message, statusCode: refusal.Status);
}
