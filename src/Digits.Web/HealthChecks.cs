using Digits.Core.Inference;
using Digits.Stores;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Digits.Web;

/// <summary>Ready when the model is loaded; the report names it.</summary>
internal sealed class ModelHealthCheck(Predictor predictor) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(HealthCheckResult.Healthy(predictor.Id));
}

/// <summary>Ready when the store answers.</summary>
internal sealed class StoreHealthCheck(IDigitsStore store, ILogger<StoreHealthCheck> log) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.PingAsync(cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy(store.Kind);
        }
        catch (Exception e) when (StoreKeys.IsStoreFailure(e))
        {
            // The report is public; the reason, which may name hosts, goes to the log.
            Log.StoreDown(log, e, store.Kind);
            return HealthCheckResult.Unhealthy($"{store.Kind} does not answer");
        }
    }
}
