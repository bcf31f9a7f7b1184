namespace Digits.Stores;

/// <summary>A user's correction: the picture they drew or sent, what the model said, and what it was.</summary>
/// <param name="Image">The picture as sent (PNG or JPEG bytes).</param>
/// <param name="Predicted">The digit the model answered.</param>
/// <param name="Correct">The digit the user says it was.</param>
/// <param name="ModelId">The model that answered.</param>
/// <param name="CreatedAt">When it was received.</param>
public sealed record Correction(byte[] Image, int Predicted, int Correct, string ModelId, DateTimeOffset CreatedAt);
