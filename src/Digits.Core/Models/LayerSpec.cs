using System.Text.Json.Serialization;

namespace Digits.Core.Models;

/// <summary>
/// One layer of a network written as a list, in the manner of Keras <c>Sequential</c>. In JSON each
/// layer is an object whose <c>type</c> names the kind, e.g. <c>{"type": "conv2d", "filters": 32, "kernel": 3}</c>.
/// Shapes are inferred; <see cref="Name"/> becomes the layer's key in the saved weights.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(Conv2dLayer), LayerKinds.Conv2d)]
[JsonDerivedType(typeof(MaxPoolLayer), LayerKinds.MaxPool)]
[JsonDerivedType(typeof(AvgPoolLayer), LayerKinds.AvgPool)]
[JsonDerivedType(typeof(GlobalAvgPoolLayer), LayerKinds.GlobalAvgPool)]
[JsonDerivedType(typeof(BatchNormLayer), LayerKinds.BatchNorm)]
[JsonDerivedType(typeof(DropoutLayer), LayerKinds.Dropout)]
[JsonDerivedType(typeof(Dropout2dLayer), LayerKinds.Dropout2d)]
[JsonDerivedType(typeof(FlattenLayer), LayerKinds.Flatten)]
[JsonDerivedType(typeof(DenseLayer), LayerKinds.Dense)]
[JsonDerivedType(typeof(ReluLayer), LayerKinds.Relu)]
[JsonDerivedType(typeof(TanhLayer), LayerKinds.Tanh)]
[JsonDerivedType(typeof(SigmoidLayer), LayerKinds.Sigmoid)]
[JsonDerivedType(typeof(GeluLayer), LayerKinds.Gelu)]
public abstract record LayerSpec
{
    /// <summary>The layer's name, unique in the network. Defaults to its type and a running number, e.g. <c>conv2d_1</c>.</summary>
    [JsonPropertyOrder(-1)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Name { get; init; }

    /// <summary>The JSON <c>type</c> of this layer, e.g. <c>conv2d</c>.</summary>
    [JsonIgnore]
    public abstract string Kind { get; }
}
