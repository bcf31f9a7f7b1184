namespace Digits.Web.Api;

/// <summary>The answer of <c>GET /api/stats</c>.</summary>
/// <param name="Visits">Page visits.</param>
/// <param name="Predictions">Predictions answered.</param>
/// <param name="Corrections">Corrections stored.</param>
public sealed record StatsResponse(VisitCounts Visits, long Predictions, long Corrections);
