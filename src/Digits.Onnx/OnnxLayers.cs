using Digits.Core.Models;
using Digits.Onnx.Protobuf;
using TorchSharp.Modules;

namespace Digits.Onnx;

/// <summary>What one layer's translation needs: the graph, the weights, the layer's built module and where it is.</summary>
/// <param name="Graph">The graph being built.</param>
/// <param name="Weights">The folded network's weights.</param>
/// <param name="Info">The built module: its name (the weights' key) and output shape.</param>
/// <param name="InputShape">The shape the layer receives, without the batch: [C, H, W] or [F].</param>
/// <param name="Where">The layer in words, for messages: <c>Layer 3 (dense 'dense_1')</c>.</param>
internal sealed record OnnxLayerContext(OnnxGraphBuilder Graph, NetworkWeights Weights, LayerInfo Info, IReadOnlyList<long> InputShape, string Where)
{
    public string Name => Info.Name;
}

/// <summary>
/// The one place where each layer type of the layer list becomes ONNX operators (opset 17). A new layer type, such as
/// a residual block (a sequence and a shortcut joined by Add), is one more case of <see cref="Emit"/>.
/// </summary>
internal static class OnnxLayers
{
    /// <summary>The layer types <see cref="Emit"/> translates.</summary>
    public static IReadOnlyList<string> SupportedTypes { get; } =
        [LayerKinds.Conv2d, LayerKinds.MaxPool, LayerKinds.AvgPool, LayerKinds.GlobalAvgPool, LayerKinds.BatchNorm, LayerKinds.Dropout, LayerKinds.Dropout2d,
            LayerKinds.Flatten, LayerKinds.Dense, .. LayerKinds.Activations];

    /// <summary>Adds the nodes of <paramref name="layer"/> applied to the value <paramref name="input"/>; returns its output value.</summary>
    /// <exception cref="InvalidDataException">A layer type or setting the exporter does not know.</exception>
    public static string Emit(LayerSpec layer, OnnxLayerContext c, string input) => layer switch
    {
        Conv2dLayer conv => Convolution(conv, c, input),
        MaxPoolLayer pool => c.Graph.Node("MaxPool", c.Name, [input], Window(pool.Size, pool.Stride)),
        // No padding, so AveragePool's count_include_pad (default 0) cannot matter, as in AvgPool2d's.
        AvgPoolLayer pool => c.Graph.Node("AveragePool", c.Name, [input], Window(pool.Size, pool.Stride)),
        GlobalAvgPoolLayer => Flatten(c, c.Graph.Node("GlobalAveragePool", $"{c.Name}/pool", [input])),
        BatchNormLayer => BatchNorm(c, input),
        // Dropout does nothing in eval mode; BatchNormFolding drops these already.
        DropoutLayer or Dropout2dLayer => input,
        FlattenLayer => Flatten(c, input),
        DenseLayer => Dense(c, input),
        ReluLayer or TanhLayer or SigmoidLayer or GeluLayer => Activation(layer.Kind, c, input),
        _ => throw new InvalidDataException(
            $"{c.Where}: the ONNX exporter does not know the layer type '{layer.Kind}'; it exports {string.Join(", ", SupportedTypes)}."),
    };

    /// <summary>An activation by its name (<see cref="LayerKinds.Activations"/>), as a layer or inline.</summary>
    public static string Activation(string name, OnnxLayerContext c, string input) => name switch
    {
        LayerKinds.Relu => c.Graph.Node("Relu", c.Name, [input]),
        LayerKinds.Tanh => c.Graph.Node("Tanh", c.Name, [input]),
        LayerKinds.Sigmoid => c.Graph.Node("Sigmoid", c.Name, [input]),
        LayerKinds.Gelu => Gelu(c, input),
        _ => throw new InvalidDataException(
            $"{c.Where}: the ONNX exporter does not know the activation '{name}'; it exports {string.Join(", ", LayerKinds.Activations)}."),
    };

    private static string Convolution(Conv2dLayer conv, OnnxLayerContext c, string input)
    {
        // Padding "same" (stride 1) pads k - 1 in all, the odd one at the bottom and right, as libtorch does.
        long total = conv.Padding == Conv2dLayer.Same ? conv.Kernel - 1 : 0;
        long begin = total / 2;
        long end = total - begin;
        string weight = Weight(c, "weight");
        string bias = Weight(c, "bias");
        return c.Graph.Node("Conv", c.Name, [input, weight, bias],
            OnnxAttribute.Of("kernel_shape", [conv.Kernel, conv.Kernel]),
            OnnxAttribute.Of("strides", [conv.Stride, conv.Stride]),
            OnnxAttribute.Of("pads", [begin, begin, end, end]),
            OnnxAttribute.Of("dilations", [1L, 1L]),
            OnnxAttribute.Of("group", 1L));
    }

    private static OnnxAttribute[] Window(int size, int? stride) =>
    [
        OnnxAttribute.Of("kernel_shape", [size, size]),
        OnnxAttribute.Of("strides", [stride ?? size, stride ?? size]),
    ];

    /// <summary>[N, ...] to [N, rest]: ONNX Flatten at axis 1 keeps the row-major order of torch's flatten(1).</summary>
    private static string Flatten(OnnxLayerContext c, string input) =>
        c.Graph.Node("Flatten", c.Name, [input], OnnxAttribute.Of("axis", 1L));

    /// <summary>torch's Linear computes x Wᵀ + b with W [out, in]: Gemm with transB.</summary>
    private static string Dense(OnnxLayerContext c, string input)
    {
        string weight = Weight(c, "weight");
        string bias = Weight(c, "bias");
        return c.Graph.Node("Gemm", c.Name, [input, weight, bias], OnnxAttribute.Of("transB", 1L));
    }

    /// <summary>
    /// A batch norm that BatchNormFolding could not fold into the layer before it. On images [N, C, H, W] it is
    /// BatchNormalization (inference mode); on features [N, F] it is x * a + b with a = γ / √(var + ε) and
    /// b = β − mean · a, the same terms libtorch's CPU kernel computes, since BatchNormalization expects channels
    /// followed by spatial axes.
    /// </summary>
    private static string BatchNorm(OnnxLayerContext c, string input)
    {
        float epsilon = (float)c.Weights.Module<BatchNorm>(c.Name).eps;
        if (c.InputShape.Count == 3)
        {
            string[] inputs = [input, Weight(c, "weight"), Weight(c, "bias"), Weight(c, "running_mean"), Weight(c, "running_var")];
            return c.Graph.Node("BatchNormalization", c.Name, inputs, OnnxAttribute.Of("epsilon", epsilon));
        }
        (float[] gamma, long[] dims) = c.Weights.Read(c.Name, "weight");
        (float[] beta, _) = c.Weights.Read(c.Name, "bias");
        (float[] mean, _) = c.Weights.Read(c.Name, "running_mean");
        (float[] variance, _) = c.Weights.Read(c.Name, "running_var");
        var scale = new float[gamma.Length];
        var shift = new float[gamma.Length];
        for (int i = 0; i < gamma.Length; i++)
        {
            scale[i] = gamma[i] * (1f / MathF.Sqrt(variance[i] + epsilon));
            shift[i] = beta[i] - (mean[i] * scale[i]);
        }
        string scaled = c.Graph.Node("Mul", $"{c.Name}/scale", [input, c.Graph.Constant($"{c.Name}.scale", dims, scale)]);
        return c.Graph.Node("Add", c.Name, [scaled, c.Graph.Constant($"{c.Name}.shift", dims, shift)]);
    }

    /// <summary>
    /// The exact GELU that TorchSharp's GELU() computes (approximate "none"), x · ½ · (1 + erf(x / √2)), in the
    /// order of libtorch's CPU kernel. ONNX's own Gelu operator arrives only in opset 20.
    /// </summary>
    private static string Gelu(OnnxLayerContext c, string input)
    {
        GELU module = c.Weights.Module<GELU>(c.Name);
        if (module.approximate != GELU.Approximate.none)
        {
            throw new InvalidDataException($"{c.Where}: its GELU uses the {module.approximate} approximation; the exporter writes the exact (erf) GELU only.");
        }
        string scaled = c.Graph.Node("Mul", $"{c.Name}/scaled", [input, c.Graph.SharedScalar("gelu.sqrt_half", MathF.Sqrt(0.5f))]);
        string erf = c.Graph.Node("Erf", $"{c.Name}/erf", [scaled]);
        string onePlus = c.Graph.Node("Add", $"{c.Name}/one_plus", [erf, c.Graph.SharedScalar("gelu.one", 1f)]);
        string half = c.Graph.Node("Mul", $"{c.Name}/half", [input, c.Graph.SharedScalar("gelu.half", 0.5f)]);
        return c.Graph.Node("Mul", c.Name, [half, onePlus]);
    }

    private static string Weight(OnnxLayerContext c, string parameter)
    {
        (float[] values, long[] dims) = c.Weights.Read(c.Name, parameter);
        return c.Graph.Constant($"{c.Name}.{parameter}", dims, values);
    }
}
