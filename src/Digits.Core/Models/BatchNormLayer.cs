namespace Digits.Core.Models;

/// <summary>Batch normalisation over channels ([C,H,W] input) or features ([F] input).</summary>
public sealed record BatchNormLayer : LayerSpec
{
    /// <inheritdoc />
    public override string Kind => LayerKinds.BatchNorm;
}
