namespace Digits.Web.Api;

/// <summary>The body of <c>POST /api/feedback</c>: a correction.</summary>
/// <param name="Image">The picture, as a PNG or JPEG data URL (or bare base64).</param>
/// <param name="Predicted">The digit the model answered, 0-9.</param>
/// <param name="Correct">The digit it really is, 0-9.</param>
public sealed record FeedbackRequest(string? Image, int? Predicted, int? Correct);
