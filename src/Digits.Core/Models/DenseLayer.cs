using System.Text.Json.Serialization;

namespace Digits.Core.Models;

/// <summary>A fully connected layer of <c>units</c> outputs.</summary>
public sealed record DenseLayer(int Units) : LayerSpec
{
    /// <summary>An activation applied after the layer, or null. Defaults to null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Activation { get; init; }

    /// <inheritdoc />
    public override string Kind => LayerKinds.Dense;
}
