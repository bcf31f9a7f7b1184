namespace Digits.Stores;

/// <summary>The counts behind <c>GET /api/stats</c>.</summary>
public sealed record StoreStats(long VisitsTotal, long VisitsToday, long Predictions, long Corrections);
