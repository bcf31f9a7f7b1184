namespace Digits.Core.Models;

/// <summary>Dropout: zeroes a fraction <c>rate</c> of the values while training.</summary>
public sealed record DropoutLayer(double Rate) : LayerSpec
{
    /// <inheritdoc />
    public override string Kind => LayerKinds.Dropout;
}
