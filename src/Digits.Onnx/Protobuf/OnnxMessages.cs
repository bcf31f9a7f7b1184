namespace Digits.Onnx.Protobuf;

// The parts of ONNX's messages the exporter fills in, as plain records; OnnxProtoWriter turns them into bytes.

/// <summary>TensorProto.DataType values used here.</summary>
internal static class OnnxDataType
{
    public const int Float = 1;
}

/// <summary>A TensorProto holding its values as little-endian <c>raw_data</c>.</summary>
internal sealed record OnnxTensor(string Name, IReadOnlyList<long> Dims, int DataType, byte[] RawData)
{
    /// <summary>A float32 tensor of <paramref name="values"/>, row-major in <paramref name="dims"/>.</summary>
    public static OnnxTensor Float(string name, IReadOnlyList<long> dims, ReadOnlySpan<float> values)
    {
        long count = dims.Aggregate(1L, (a, b) => a * b);
        if (count != values.Length)
        {
            throw new ArgumentException($"Tensor '{name}' of shape [{string.Join(", ", dims)}] needs {count} values; received {values.Length}.", nameof(values));
        }
        var raw = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * sizeof(float)), values[i]);
        }
        return new OnnxTensor(name, dims, OnnxDataType.Float, raw);
    }
}

/// <summary>AttributeProto.AttributeType values used here.</summary>
internal enum OnnxAttributeType
{
    Float = 1,
    Int = 2,
    Tensor = 4,
    Ints = 7,
}

/// <summary>One node attribute; only the field of its <see cref="Type"/> is written.</summary>
internal sealed record OnnxAttribute(string Name, OnnxAttributeType Type)
{
    public float FloatValue { get; init; }

    public long IntValue { get; init; }

    public IReadOnlyList<long> IntsValue { get; init; } = [];

    public OnnxTensor? TensorValue { get; init; }

    public static OnnxAttribute Of(string name, float value) => new(name, OnnxAttributeType.Float) { FloatValue = value };

    public static OnnxAttribute Of(string name, long value) => new(name, OnnxAttributeType.Int) { IntValue = value };

    public static OnnxAttribute Of(string name, IReadOnlyList<long> values) => new(name, OnnxAttributeType.Ints) { IntsValue = values };

    public static OnnxAttribute Of(string name, OnnxTensor value) => new(name, OnnxAttributeType.Tensor) { TensorValue = value };
}

/// <summary>A NodeProto of the default (ai.onnx) domain.</summary>
internal sealed record OnnxNode(string OpType, string Name, string[] Inputs, string[] Outputs, IReadOnlyList<OnnxAttribute> Attributes);

/// <summary>One dimension of a shape: a fixed size, or a named one (<c>dim_param</c>) that each run may choose.</summary>
internal readonly record struct OnnxDimension(long Value, string? Param)
{
    public static implicit operator OnnxDimension(long value) => new(value, null);

    public static OnnxDimension Named(string param) => new(0, param);
}

/// <summary>A ValueInfoProto of a tensor: name, element type, shape and a description.</summary>
internal sealed record OnnxValueInfo(string Name, int ElementType, IReadOnlyList<OnnxDimension> Shape, string? Doc);

/// <summary>A GraphProto.</summary>
internal sealed record OnnxGraph(
    string Name, IReadOnlyList<OnnxNode> Nodes, IReadOnlyList<OnnxTensor> Initializers,
    IReadOnlyList<OnnxValueInfo> Inputs, IReadOnlyList<OnnxValueInfo> Outputs, string? Doc);

/// <summary>A ModelProto importing one opset of the default domain.</summary>
internal sealed record OnnxModel(
    long IrVersion, long Opset, string ProducerName, string ProducerVersion, string? Doc, OnnxGraph Graph,
    IReadOnlyList<KeyValuePair<string, string>> Metadata);
