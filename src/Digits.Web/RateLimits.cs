using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Digits.Web;

/// <summary>
/// Per-client rate limits, a token bucket per remote address: one for predictions, a stricter one for requests that
/// cost far more than a prediction (an explanation runs 145 images) or keep data (a correction).
/// </summary>
public static class RateLimits
{
    /// <summary>The predictions policy's name, for <c>RequireRateLimiting</c>.</summary>
    public const string Predictions = "predictions";

    /// <summary>The policy for explanations and corrections.</summary>
    public const string Expensive = "expensive";

    /// <summary>Adds the rate limiter, with its limits read from <see cref="ServeOptions"/> and 429 ProblemDetails for refusals.</summary>
    public static IServiceCollection AddPredictionRateLimit(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Predictions, context => Bucket(context, o => (o.PredictionsPerSecond, o.PredictionBurst)));
            limiter.AddPolicy(Expensive, context => Bucket(context, o => (o.ExpensivePerSecond, o.ExpensiveBurst)));
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                HttpContext context = rejected.HttpContext;
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan retryAfter))
                {
                    context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }
                ServeOptions options = context.RequestServices.GetRequiredService<IOptions<ServeOptions>>().Value;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Detail = $"Too many requests from this address: predictions are limited to {options.PredictionsPerSecond} a second " +
                            $"(bursts of {options.PredictionBurst}), explanations and corrections to {options.ExpensivePerSecond} a second " +
                            $"(bursts of {options.ExpensiveBurst}). Wait a moment and try again.",
                    },
                }).ConfigureAwait(false);
            };
        });

    /// <summary>Who is asking, as the limits and the visit count tell clients apart: the remote address.</summary>
    public static string ClientOf(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Connection.RemoteIpAddress?.ToString() ?? "local";
    }

    /// <summary>The caller's bucket: <c>rate</c> tokens added each second, up to <c>burst</c>, one per request.</summary>
    private static RateLimitPartition<string> Bucket(HttpContext context, Func<ServeOptions, (int Rate, int Burst)> limits)
    {
        (int rate, int burst) = limits(context.RequestServices.GetRequiredService<IOptions<ServeOptions>>().Value);
        return RateLimitPartition.GetTokenBucketLimiter(ClientOf(context), _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = rate,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }
}
