namespace Digits.Web.Api;

/// <summary>The answer of <c>POST /api/feedback</c>.</summary>
/// <param name="Id">The stored correction's id.</param>
/// <param name="Corrections">How many corrections are now stored.</param>
public sealed record FeedbackResponse(long Id, long Corrections);
