namespace Digits.Core.Models;

/// <summary>Max pooling over <c>size</c> x <c>size</c> windows; the stride defaults to the size.</summary>
public sealed record MaxPoolLayer(int Size = 2, int? Stride = null) : LayerSpec
{
    /// <inheritdoc />
    public override string Kind => LayerKinds.MaxPool;
}
