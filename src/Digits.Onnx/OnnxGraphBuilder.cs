using Digits.Onnx.Protobuf;

namespace Digits.Onnx;

/// <summary>
/// Collects the nodes and weights of a graph in order. Every value is named after the layer that makes it
/// (<c>conv2d_1</c>, <c>gelu_1/erf</c>), so a graph viewer shows the Digits layer names.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly List<OnnxNode> _nodes = [];
    private readonly List<OnnxTensor> _initializers = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<float, string> _shared = [];

    /// <summary>The nodes so far, in execution order.</summary>
    public IReadOnlyList<OnnxNode> Nodes => _nodes;

    /// <summary>The weights and constants so far.</summary>
    public IReadOnlyList<OnnxTensor> Initializers => _initializers;

    /// <summary>Reserves value names, such as the graph's input and outputs, so that no layer's value takes them.</summary>
    public void Reserve(params string[] names)
    {
        foreach (string name in names)
        {
            if (!_names.Add(name))
            {
                throw new InvalidOperationException($"The ONNX value name '{name}' is used twice.");
            }
        }
    }

    /// <summary>Adds a node with one output, named <paramref name="output"/> (made unique), and returns that name.</summary>
    public string Node(string opType, string output, string[] inputs, params OnnxAttribute[] attributes)
    {
        string name = Unique(output);
        _nodes.Add(new OnnxNode(opType, name, inputs, [name], attributes));
        return name;
    }

    /// <summary>Adds a node that writes the reserved value <paramref name="output"/>, a graph output.</summary>
    public void NodeTo(string opType, string output, string[] inputs, params OnnxAttribute[] attributes) =>
        _nodes.Add(new OnnxNode(opType, output, inputs, [output], attributes));

    /// <summary>Adds a float32 initializer named <paramref name="name"/> (made unique) and returns that name.</summary>
    public string Constant(string name, IReadOnlyList<long> dims, ReadOnlySpan<float> values)
    {
        string unique = Unique(name);
        _initializers.Add(OnnxTensor.Float(unique, dims, values));
        return unique;
    }

    /// <summary>A float32 scalar initializer.</summary>
    public string Scalar(string name, float value) => Constant(name, [], [value]);

    /// <summary>A float32 scalar shared by every node that needs the same value (a GELU's 0.5, say).</summary>
    public string SharedScalar(string name, float value)
    {
        if (!_shared.TryGetValue(value, out string? existing))
        {
            existing = Scalar(name, value);
            _shared[value] = existing;
        }
        return existing;
    }

    /// <summary>
    /// Renames the value <paramref name="from"/>, a node's output, to the reserved <paramref name="to"/> everywhere, so that the
    /// last layer writes straight into a graph output without an Identity node.
    /// </summary>
    public void Rename(string from, string to)
    {
        for (int n = 0; n < _nodes.Count; n++)
        {
            OnnxNode node = _nodes[n];
            if (Array.IndexOf(node.Outputs, from) < 0 && Array.IndexOf(node.Inputs, from) < 0)
            {
                continue;
            }
            _nodes[n] = node with
            {
                Inputs = [.. node.Inputs.Select(v => v == from ? to : v)],
                Outputs = [.. node.Outputs.Select(v => v == from ? to : v)],
            };
        }
    }

    private string Unique(string name)
    {
        string candidate = name;
        for (int i = 2; !_names.Add(candidate); i++)
        {
            candidate = $"{name}_{i}";
        }
        return candidate;
    }
}
