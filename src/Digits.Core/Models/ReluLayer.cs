namespace Digits.Core.Models;

/// <summary>max(0, x).</summary>
public sealed record ReluLayer : LayerSpec
{
    /// <inheritdoc />
    public override string Kind => LayerKinds.Relu;
}
