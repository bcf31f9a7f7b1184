namespace Digits.Core.Data;

/// <summary>A file of an image folder that could not be read, and why.</summary>
/// <param name="Path">The file.</param>
/// <param name="Reason">Why, for a person.</param>
public sealed record SkippedFile(string Path, string Reason);
