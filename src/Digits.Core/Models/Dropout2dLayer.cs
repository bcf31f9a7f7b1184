namespace Digits.Core.Models;

/// <summary>Channel dropout: zeroes whole feature maps, a fraction <c>rate</c> of them, while training.</summary>
public sealed record Dropout2dLayer(double Rate) : LayerSpec
{
    /// <inheritdoc />
    public override string Kind => LayerKinds.Dropout2d;
}
