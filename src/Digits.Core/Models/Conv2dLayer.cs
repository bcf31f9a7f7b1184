using System.Text.Json.Serialization;

namespace Digits.Core.Models;

/// <summary>A 2-D convolution. <c>padding</c> is <c>valid</c> (no padding) or <c>same</c> (output as large as input, stride 1).</summary>
public sealed record Conv2dLayer(int Filters, int Kernel, int Stride = 1, string Padding = "valid") : LayerSpec
{
    /// <summary>An activation applied after the convolution (<c>relu</c>, <c>tanh</c>, <c>sigmoid</c>, <c>gelu</c>), or null. Defaults to null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Activation { get; init; }

    /// <inheritdoc />
    public override string Kind => "conv2d";
}
