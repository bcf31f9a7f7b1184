namespace Digits.Core.Models;

/// <summary>tanh(x).</summary>
public sealed record TanhLayer : LayerSpec
{
    /// <inheritdoc />
    public override string Kind => LayerKinds.Tanh;
}
