using System.Text.Json.Serialization;

namespace Digits.Core.Models;

/// <summary>A 2-D convolution. <c>padding</c> is <c>valid</c> (no padding) or <c>same</c> (output as large as input, stride 1).</summary>
public sealed record Conv2dLayer(int Filters, int Kernel, int Stride = 1, string Padding = Conv2dLayer.Valid) : LayerSpec
{
    /// <summary>No padding: the output shrinks by the kernel less one.</summary>
    public const string Valid = "valid";

    /// <summary>Padding that keeps the output as large as the input (stride 1 only).</summary>
    public const string Same = "same";

    /// <summary>An activation applied after the convolution (<c>relu</c>, <c>tanh</c>, <c>sigmoid</c>, <c>gelu</c>), or null. Defaults to null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Activation { get; init; }

    /// <inheritdoc />
    public override string Kind => LayerKinds.Conv2d;
}
