namespace Digits.Core.Tests.Fuzzing;

/// <summary>One fuzz input as bytes, with how it was made: a failure prints that and the first bytes, not all of them.</summary>
/// <param name="How">The recipe, e.g. "png 31x12 noise, flipped bytes at 17".</param>
/// <param name="Bytes">The input.</param>
public sealed record FuzzBytes(string How, byte[] Bytes)
{
    /// <summary>These bytes changed by one more step.</summary>
    public FuzzBytes Then(string how, byte[] bytes) => new($"{How}; {how}", bytes);

    /// <inheritdoc />
    public override string ToString() =>
        $"{How} ({Bytes.Length} bytes, first {Math.Min(Bytes.Length, 48)}: {Convert.ToHexString(Bytes.AsSpan(0, Math.Min(Bytes.Length, 48)))})";
}
