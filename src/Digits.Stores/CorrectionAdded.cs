namespace Digits.Stores;

/// <summary>A correction kept: its id, and how many corrections the store holds with it.</summary>
public sealed record CorrectionAdded(long Id, long Count);
