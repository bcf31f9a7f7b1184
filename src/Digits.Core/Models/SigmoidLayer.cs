namespace Digits.Core.Models;

/// <summary>1 / (1 + e^-x).</summary>
public sealed record SigmoidLayer : LayerSpec
{
    /// <inheritdoc />
    public override string Kind => LayerKinds.Sigmoid;
}
