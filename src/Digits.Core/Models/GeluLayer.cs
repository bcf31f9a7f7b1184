namespace Digits.Core.Models;

/// <summary>The Gaussian error linear unit.</summary>
public sealed record GeluLayer : LayerSpec
{
    /// <inheritdoc />
    public override string Kind => LayerKinds.Gelu;
}
