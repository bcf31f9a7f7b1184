namespace Digits.Web.Api;

/// <summary>Page visits, in total and today (UTC).</summary>
/// <param name="Total">Every visit.</param>
/// <param name="Today">Visits since midnight UTC.</param>
public sealed record VisitCounts(long Total, long Today);
