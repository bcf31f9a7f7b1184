namespace Digits.Stores;

/// <summary>A correction with the id the store gave it.</summary>
public sealed record StoredCorrection(long Id, Correction Correction);
