using System.Text.Json.Serialization;

namespace Digits.Core.Models;

/// <summary>
/// One layer of a network written as a list, in the manner of Keras <c>Sequential</c>. In JSON each
/// layer is an object whose <c>type</c> names the kind, e.g. <c>{"type": "conv2d", "filters": 32, "kernel": 3}</c>.
/// Shapes are inferred; <see cref="Name"/> becomes the layer's key in the saved weights.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(Conv2dLayer), "conv2d")]
[JsonDerivedType(typeof(MaxPoolLayer), "maxpool")]
[JsonDerivedType(typeof(AvgPoolLayer), "avgpool")]
[JsonDerivedType(typeof(GlobalAvgPoolLayer), "globalavgpool")]
[JsonDerivedType(typeof(BatchNormLayer), "batchnorm")]
[JsonDerivedType(typeof(DropoutLayer), "dropout")]
[JsonDerivedType(typeof(FlattenLayer), "flatten")]
[JsonDerivedType(typeof(DenseLayer), "dense")]
[JsonDerivedType(typeof(ReluLayer), "relu")]
[JsonDerivedType(typeof(TanhLayer), "tanh")]
[JsonDerivedType(typeof(SigmoidLayer), "sigmoid")]
[JsonDerivedType(typeof(GeluLayer), "gelu")]
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

/// <summary>A 2-D convolution. <c>padding</c> is <c>valid</c> (no padding) or <c>same</c> (output as large as input, stride 1).</summary>
public sealed record Conv2dLayer(int Filters, int Kernel, int Stride = 1, string Padding = "valid") : LayerSpec
{
    /// <summary>An activation applied after the convolution (<c>relu</c>, <c>tanh</c>, <c>sigmoid</c>, <c>gelu</c>), or null. Defaults to null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Activation { get; init; }

    /// <inheritdoc />
    public override string Kind => "conv2d";
}

/// <summary>Max pooling over <c>size</c> x <c>size</c> windows; the stride defaults to the size.</summary>
public sealed record MaxPoolLayer(int Size = 2, int? Stride = null) : LayerSpec
{
    /// <inheritdoc />
    public override string Kind => "maxpool";
}

/// <summary>Average pooling over <c>size</c> x <c>size</c> windows; the stride defaults to the size.</summary>
public sealed record AvgPoolLayer(int Size = 2, int? Stride = null) : LayerSpec
{
    /// <inheritdoc />
    public override string Kind => "avgpool";
}

/// <summary>Averages each channel over the whole image: [C,H,W] becomes [C].</summary>
public sealed record GlobalAvgPoolLayer : LayerSpec
{
    /// <inheritdoc />
    public override string Kind => "globalavgpool";
}

/// <summary>Batch normalisation over channels ([C,H,W] input) or features ([F] input).</summary>
public sealed record BatchNormLayer : LayerSpec
{
    /// <inheritdoc />
    public override string Kind => "batchnorm";
}

/// <summary>Dropout: zeroes a fraction <c>rate</c> of the values while training.</summary>
public sealed record DropoutLayer(double Rate) : LayerSpec
{
    /// <inheritdoc />
    public override string Kind => "dropout";
}

/// <summary>Flattens [C,H,W] into [C*H*W].</summary>
public sealed record FlattenLayer : LayerSpec
{
    /// <inheritdoc />
    public override string Kind => "flatten";
}

/// <summary>A fully connected layer of <c>units</c> outputs.</summary>
public sealed record DenseLayer(int Units) : LayerSpec
{
    /// <summary>An activation applied after the layer, or null. Defaults to null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Activation { get; init; }

    /// <inheritdoc />
    public override string Kind => "dense";
}

/// <summary>max(0, x).</summary>
public sealed record ReluLayer : LayerSpec
{
    /// <inheritdoc />
    public override string Kind => "relu";
}

/// <summary>tanh(x).</summary>
public sealed record TanhLayer : LayerSpec
{
    /// <inheritdoc />
    public override string Kind => "tanh";
}

/// <summary>1 / (1 + e^-x).</summary>
public sealed record SigmoidLayer : LayerSpec
{
    /// <inheritdoc />
    public override string Kind => "sigmoid";
}

/// <summary>The Gaussian error linear unit.</summary>
public sealed record GeluLayer : LayerSpec
{
    /// <inheritdoc />
    public override string Kind => "gelu";
}
