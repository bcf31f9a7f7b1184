namespace Digits.Core.Models;

/// <summary>Average pooling over <c>size</c> x <c>size</c> windows; the stride defaults to the size.</summary>
public sealed record AvgPoolLayer(int Size = 2, int? Stride = null) : LayerSpec
{
    /// <inheritdoc />
    public override string Kind => LayerKinds.AvgPool;
}
