// A hand-written writer for the few ONNX messages the exporter needs. The field numbers and wire types below are
// those of onnx/onnx.proto (syntax proto2, package onnx) as shipped in Debian's python3-onnx 1.12.0, whose
// IR_VERSION is 8; the exporter targets IR version 8 and opset 17 of the default domain, the newest that release
// knows. proto2 repeated scalars without [packed = true] (dims, ints) are written unpacked, as protoc would.
using Google.Protobuf;

namespace Digits.Onnx.Protobuf;

/// <summary>Serialises an <see cref="OnnxModel"/> as the bytes of an ONNX ModelProto.</summary>
internal static class OnnxProtoWriter
{
    // ModelProto
    private const int ModelIrVersion = 1;
    private const int ModelProducerName = 2;
    private const int ModelProducerVersion = 3;
    private const int ModelDocString = 6;
    private const int ModelGraph = 7;
    private const int ModelOpsetImport = 8;
    private const int ModelMetadataProps = 14;

    // OperatorSetIdProto (domain = 1 is left out: the default domain is the empty string)
    private const int OpsetVersion = 2;

    // StringStringEntryProto
    private const int EntryKey = 1;
    private const int EntryValue = 2;

    // GraphProto
    private const int GraphNode = 1;
    private const int GraphName = 2;
    private const int GraphInitializer = 5;
    private const int GraphDocString = 10;
    private const int GraphInput = 11;
    private const int GraphOutput = 12;

    // NodeProto
    private const int NodeInput = 1;
    private const int NodeOutput = 2;
    private const int NodeName = 3;
    private const int NodeOpType = 4;
    private const int NodeAttribute = 5;

    // AttributeProto
    private const int AttributeName = 1;
    private const int AttributeFloat = 2;
    private const int AttributeInt = 3;
    private const int AttributeTensor = 5;
    private const int AttributeInts = 8;
    private const int AttributeType = 20;

    // TensorProto
    private const int TensorDims = 1;
    private const int TensorDataType = 2;
    private const int TensorName = 8;
    private const int TensorRawData = 9;

    // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, TensorShapeProto.Dimension
    private const int ValueInfoName = 1;
    private const int ValueInfoType = 2;
    private const int ValueInfoDocString = 3;
    private const int TypeTensorType = 1;
    private const int TensorTypeElemType = 1;
    private const int TensorTypeShape = 2;
    private const int ShapeDim = 1;
    private const int DimensionValue = 1;
    private const int DimensionParam = 2;

    /// <summary>The ModelProto bytes of <paramref name="model"/>.</summary>
    public static byte[] Write(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Message(o =>
        {
            Int64(o, ModelIrVersion, model.IrVersion);
            String(o, ModelProducerName, model.ProducerName);
            String(o, ModelProducerVersion, model.ProducerVersion);
            OptionalString(o, ModelDocString, model.Doc);
            Nested(o, ModelGraph, g => Graph(g, model.Graph));
            Nested(o, ModelOpsetImport, s => Int64(s, OpsetVersion, model.Opset));
            foreach ((string key, string value) in model.Metadata)
            {
                Nested(o, ModelMetadataProps, e =>
                {
                    String(e, EntryKey, key);
                    String(e, EntryValue, value);
                });
            }
        });
    }

    private static void Graph(CodedOutputStream o, OnnxGraph graph)
    {
        foreach (OnnxNode node in graph.Nodes)
        {
            Nested(o, GraphNode, n => Node(n, node));
        }
        String(o, GraphName, graph.Name);
        foreach (OnnxTensor tensor in graph.Initializers)
        {
            Nested(o, GraphInitializer, t => Tensor(t, tensor));
        }
        OptionalString(o, GraphDocString, graph.Doc);
        foreach (OnnxValueInfo input in graph.Inputs)
        {
            Nested(o, GraphInput, v => ValueInfo(v, input));
        }
        foreach (OnnxValueInfo output in graph.Outputs)
        {
            Nested(o, GraphOutput, v => ValueInfo(v, output));
        }
    }

    private static void Node(CodedOutputStream o, OnnxNode node)
    {
        foreach (string input in node.Inputs)
        {
            String(o, NodeInput, input);
        }
        foreach (string output in node.Outputs)
        {
            String(o, NodeOutput, output);
        }
        String(o, NodeName, node.Name);
        String(o, NodeOpType, node.OpType);
        foreach (OnnxAttribute attribute in node.Attributes)
        {
            Nested(o, NodeAttribute, a => Attribute(a, attribute));
        }
    }

    private static void Attribute(CodedOutputStream o, OnnxAttribute attribute)
    {
        String(o, AttributeName, attribute.Name);
        switch (attribute.Type)
        {
            case OnnxAttributeType.Float:
                o.WriteTag(AttributeFloat, WireFormat.WireType.Fixed32);
                o.WriteFloat(attribute.FloatValue);
                break;
            case OnnxAttributeType.Int:
                Int64(o, AttributeInt, attribute.IntValue);
                break;
            case OnnxAttributeType.Ints:
                foreach (long value in attribute.IntsValue)
                {
                    Int64(o, AttributeInts, value);
                }
                break;
            case OnnxAttributeType.Tensor:
                Nested(o, AttributeTensor, t => Tensor(t, attribute.TensorValue!));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(attribute), attribute.Type, "Attribute type not written by this exporter.");
        }
        // An enum is a varint on the wire.
        Int64(o, AttributeType, (long)attribute.Type);
    }

    private static void Tensor(CodedOutputStream o, OnnxTensor tensor)
    {
        foreach (long dim in tensor.Dims)
        {
            Int64(o, TensorDims, dim);
        }
        Int64(o, TensorDataType, tensor.DataType);
        String(o, TensorName, tensor.Name);
        o.WriteTag(TensorRawData, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(UnsafeByteOperations.UnsafeWrap(tensor.RawData));
    }

    private static void ValueInfo(CodedOutputStream o, OnnxValueInfo info)
    {
        String(o, ValueInfoName, info.Name);
        Nested(o, ValueInfoType, type => Nested(type, TypeTensorType, tensor =>
        {
            Int64(tensor, TensorTypeElemType, info.ElementType);
            Nested(tensor, TensorTypeShape, shape =>
            {
                foreach (OnnxDimension dim in info.Shape)
                {
                    Nested(shape, ShapeDim, d =>
                    {
                        if (dim.Param is null)
                        {
                            Int64(d, DimensionValue, dim.Value);
                        }
                        else
                        {
                            String(d, DimensionParam, dim.Param);
                        }
                    });
                }
            });
        }));
        OptionalString(o, ValueInfoDocString, info.Doc);
    }

    /// <summary>A sub-message: written to its own buffer first, since its length comes before it on the wire.</summary>
    private static void Nested(CodedOutputStream o, int field, Action<CodedOutputStream> body)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(UnsafeByteOperations.UnsafeWrap(Message(body)));
    }

    private static byte[] Message(Action<CodedOutputStream> body)
    {
        using var buffer = new MemoryStream();
        using (var output = new CodedOutputStream(buffer, leaveOpen: true))
        {
            body(output);
        }
        return buffer.ToArray();
    }

    private static void Int64(CodedOutputStream o, int field, long value)
    {
        o.WriteTag(field, WireFormat.WireType.Varint);
        o.WriteInt64(value);
    }

    private static void String(CodedOutputStream o, int field, string value)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteString(value);
    }

    private static void OptionalString(CodedOutputStream o, int field, string? value)
    {
        if (value is not null)
        {
            String(o, field, value);
        }
    }
}
