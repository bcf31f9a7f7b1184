using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Digits.Web;

/// <summary>The per-client rate limit on predictions: a token bucket per remote address.</summary>
public static class RateLimits
{
    /// <summary>The policy's name, for <c>RequireRateLimiting</c>.</summary>
    public const string Predictions = "predictions";

    /// <summary>The bucket refills this often, with a tenth of a second's tokens, so the rate is smooth.</summary>
    private static readonly TimeSpan s_refill = TimeSpan.FromMilliseconds(100);

    /// <summary>Adds the rate limiter, with its limits read from <see cref="ServeOptions"/> and 429 ProblemDetails for refusals.</summary>
    public static IServiceCollection AddPredictionRateLimit(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(Predictions, context =>
            {
                ServeOptions options = context.RequestServices.GetRequiredService<IOptions<ServeOptions>>().Value;
                string client = context.Connection.RemoteIpAddress?.ToString() ?? "local";
                return RateLimitPartition.GetTokenBucketLimiter(client, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.PredictionBurst,
                    TokensPerPeriod = Math.Max(1, (int)Math.Round(options.PredictionsPerSecond * s_refill.TotalSeconds)),
                    ReplenishmentPeriod = s_refill,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
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
                        Detail = $"Too many predictions from this address: the limit is {options.PredictionsPerSecond} a second " +
                            $"(bursts of {options.PredictionBurst}). Wait a moment and try again.",
                    },
                }).ConfigureAwait(false);
            };
        });
}
