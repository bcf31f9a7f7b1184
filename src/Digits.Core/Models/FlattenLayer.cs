namespace Digits.Core.Models;

/// <summary>Flattens [C,H,W] into [C*H*W].</summary>
public sealed record FlattenLayer : LayerSpec
{
    /// <inheritdoc />
    public override string Kind => LayerKinds.Flatten;
}
