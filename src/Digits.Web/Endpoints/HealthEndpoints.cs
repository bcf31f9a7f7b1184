using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Digits.Web.Endpoints;

/// <summary>
/// Liveness and readiness, for load balancers and orchestrators. Mapped as endpoints of their own rather than with
/// MapHealthChecks, so that the OpenAPI document describes them with the rest.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>The tag of the checks <c>/health/ready</c> runs.</summary>
    public const string ReadyTag = "ready";

    /// <summary>The tag that groups these endpoints in the OpenAPI document.</summary>
    private const string Tag = "Health";

    /// <summary>Maps <c>GET /health/live</c> and <c>GET /health/ready</c>.</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/health/live", () => TypedResults.Text(nameof(HealthStatus.Healthy)))
            .WithName("Live")
            .WithTags(Tag)
            .WithSummary("Whether the process answers")
            .WithDescription("\"Healthy\" while the app runs; it checks nothing else.");
        app.MapGet("/health/ready", ReadyAsync)
            .WithName("Ready")
            .WithTags(Tag)
            .WithSummary("Whether the model and the store are ready")
            .WithDescription("The status, and one entry per check: the model (named by its id) and the store (sqlite or redis). 503 when a check fails.")
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .Produces(StatusCodes.Status503ServiceUnavailable, contentType: "application/json");
        return app;
    }

    private static async Task<ContentHttpResult> ReadyAsync(HealthCheckService health, CancellationToken cancellationToken)
    {
        HealthReport report = await health.CheckHealthAsync(check => check.Tags.Contains(ReadyTag), cancellationToken);
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        };
        int status = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        return TypedResults.Content(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), "application/json; charset=utf-8", statusCode: status);
    }
}
