namespace Digits.Core.Models;

/// <summary>Averages each channel over the whole image: [C,H,W] becomes [C].</summary>
public sealed record GlobalAvgPoolLayer : LayerSpec
{
    /// <inheritdoc />
    public override string Kind => LayerKinds.GlobalAvgPool;
}
