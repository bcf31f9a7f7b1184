using Digits.Core.Evaluation;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Digits.Onnx.Protobuf;

namespace Digits.Onnx;

/// <summary>
/// Writes a Digits model as an ONNX model (IR version <see cref="IrVersion"/>, opset <see cref="Opset"/>), so that
/// programs without libtorch can run it. The graph is the inference network: batch norms folded as
/// <c>Predictor</c> folds them, dropout dropped, the input normalisation inside. It takes <see cref="InputName"/>,
/// float32 <c>[N, C, H, W]</c> in [0, 1] with N free (<c>dim_param</c> <see cref="BatchDimension"/>), and gives
/// <see cref="LogitsName"/> <c>[N, classes]</c> and <see cref="ProbabilitiesName"/> = softmax(logits / T) with T the
/// model's calibration temperature. <see cref="OnnxMetadata"/> lists what the model says about itself.
/// </summary>
public static class OnnxExporter
{
    /// <summary>The ONNX IR version written: 8, that of ONNX 1.12.</summary>
    public const long IrVersion = 8;

    /// <summary>The opset of the default domain the graph uses: 17, the newest of ONNX 1.12.</summary>
    public const long Opset = 17;

    /// <summary>The graph input: images <c>[N, C, H, W]</c>, float32 in [0, 1].</summary>
    public const string InputName = "images";

    /// <summary>The graph output of the logits, <c>[N, classes]</c>; for a sigmoid output, [0, z] per image.</summary>
    public const string LogitsName = "logits";

    /// <summary>The graph output of the calibrated probabilities, <c>[N, classes]</c>, each row summing to 1.</summary>
    public const string ProbabilitiesName = "probabilities";

    /// <summary>The name of the free batch dimension of the input and outputs.</summary>
    public const string BatchDimension = "batch";

    /// <summary>The value written as the model's producer.</summary>
    public const string ProducerName = "Digits";

    /// <summary>The layer types the exporter translates: all of <see cref="LayerKinds.All"/> today.</summary>
    public static IReadOnlyList<string> SupportedLayerTypes => OnnxLayers.SupportedTypes;

    /// <summary>Reads the model file at <paramref name="modelPath"/> and exports it.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a Digits model, damaged, or a layer the exporter does not know.</exception>
    public static byte[] Export(string modelPath) => Export(ModelFile.Load(modelPath));

    /// <summary>The ONNX model bytes of <paramref name="saved"/>, built in memory.</summary>
    /// <exception cref="InvalidDataException">The weights do not fit the architecture, or a layer the exporter does not know.</exception>
    public static byte[] Export(SavedModel saved)
    {
        ArgumentNullException.ThrowIfNull(saved);
        using DigitsNetwork trained = saved.CreateNetwork();
        using DigitsNetwork folded = BatchNormFolding.Fold(trained);
        return OnnxProtoWriter.Write(Build(saved.Manifest, folded));
    }

    /// <summary>
    /// Exports <paramref name="saved"/> to the file <paramref name="onnxPath"/>, written atomically (a temporary file
    /// beside it, flushed, then renamed), so a failure never leaves half a model.
    /// </summary>
    public static void ExportToFile(SavedModel saved, string onnxPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(onnxPath);
        byte[] model = Export(saved);
        AtomicFile.Write(onnxPath, stream => stream.Write(model));
    }

    private static OnnxModel Build(ModelManifest manifest, DigitsNetwork folded)
    {
        NetworkSpec spec = folded.Definition.Network;
        var graph = new OnnxGraphBuilder();
        graph.Reserve(InputName, LogitsName, ProbabilitiesName);
        string x = Normalize(graph, folded.Definition.Normalization);
        x = Layers(graph, folded, x);

        if (spec.Output == NetworkSpec.Sigmoid)
        {
            // DigitsNetwork.forward hands on [0, z]: zeros of z's shape [N, 1], then z.
            string shape = graph.Node("Shape", "sigmoid_output/shape", [x]);
            string zero = graph.Node("ConstantOfShape", "sigmoid_output/zero", [shape],
                OnnxAttribute.Of("value", OnnxTensor.Float("value", [1], [0f])));
            graph.NodeTo("Concat", LogitsName, [zero, x], OnnxAttribute.Of("axis", 1L));
        }
        else
        {
            graph.Rename(x, LogitsName);
        }

        Calibration calibration = manifest.Calibration ?? Calibration.None;
        string temperature = graph.Scalar("calibration.temperature", (float)calibration.Temperature);
        string scaled = graph.Node("Div", "calibration/scaled", [LogitsName, temperature]);
        // Softmax from opset 13 on normalises along one axis (default -1); the class axis is written out.
        graph.NodeTo("Softmax", ProbabilitiesName, [scaled], OnnxAttribute.Of("axis", 1L));

        OnnxDimension batch = OnnxDimension.Named(BatchDimension);
        IReadOnlyList<OnnxDimension> input = [batch, .. spec.Input.Select(d => (OnnxDimension)d)];
        IReadOnlyList<OnnxDimension> output = [batch, spec.Classes];
        var onnxGraph = new OnnxGraph(
            manifest.Model, graph.Nodes, graph.Initializers,
            [new OnnxValueInfo(InputName, OnnxDataType.Float, input, "Images, NCHW float32 in [0, 1]; see the digits.input metadata.")],
            [
                new OnnxValueInfo(LogitsName, OnnxDataType.Float, output, "Logits, one per class."),
                new OnnxValueInfo(ProbabilitiesName, OnnxDataType.Float, output, "softmax(logits / digits.temperature)."),
            ],
            manifest.Description);
        return new OnnxModel(IrVersion, Opset, ProducerName, OnnxMetadata.DigitsVersion, manifest.Description, onnxGraph, OnnxMetadata.Describe(manifest));
    }

    /// <summary>(x - mean) / std on the input, as DigitsNetwork applies it; the input itself when there is none.</summary>
    private static string Normalize(OnnxGraphBuilder graph, Normalization? normalization)
    {
        if (normalization is null)
        {
            return InputName;
        }
        string centred = graph.Node("Sub", "normalize/centred", [InputName, graph.Scalar("normalize.mean", normalization.Mean)]);
        return graph.Node("Div", "normalize", [centred, graph.Scalar("normalize.std", normalization.Std)]);
    }

    /// <summary>
    /// Walks the built modules in order, each with the layer of the list that made it (a conv2d or dense layer with an
    /// inline activation makes a second module, for the activation).
    /// </summary>
    private static string Layers(OnnxGraphBuilder graph, DigitsNetwork folded, string x)
    {
        var weights = new NetworkWeights(folded);
        IReadOnlyList<long> shape = [.. folded.Definition.Network.Input.Select(d => (long)d)];
        foreach (LayerInfo info in folded.Layers)
        {
            var context = new OnnxLayerContext(graph, weights, info, shape, Where(info));
            x = info.InlineActivation ? OnnxLayers.Activation(info.Kind, context, x) : OnnxLayers.Emit(info.Source, context, x);
            shape = info.OutputShape;
        }
        return x;
    }

    private static string Where(LayerInfo info) => $"Layer '{info.Name}' ({info.Kind})";
}
