using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Digits.Core.Evaluation;
using Digits.Core.Models;
using Digits.Core.Persistence;

namespace Digits.Onnx;

/// <summary>
/// The keys of what an exported model says about itself in its <c>metadata_props</c> (read back with ONNX Runtime's
/// <c>InferenceSession.ModelMetadata.CustomMetadataMap</c>): how to feed it and how to read its answers.
/// Numbers are written in the invariant culture.
/// </summary>
public static class OnnxMetadata
{
    /// <summary>The model's name and the first 12 hex digits of its weights' SHA-256, as <c>Predictor.Id</c> gives it, e.g. <c>digitnet-3bb343ea756d</c>.</summary>
    public const string ModelId = "digits.model_id";

    /// <summary>The registry id or layer-list name, e.g. <c>digitnet</c>.</summary>
    public const string Model = "digits.model";

    /// <summary>The layout and range of the <c>images</c> input, in words.</summary>
    public const string Input = "digits.input";

    /// <summary>The normalisation the graph applies itself, e.g. <c>(x - 0.1307) / 0.3081</c>, or <c>none</c>.</summary>
    public const string Normalization = "digits.normalization";

    /// <summary>The class names, one per column of the outputs, as a JSON array; the digits "0" to "9" for a digit model.</summary>
    public const string ClassNames = "digits.class_names";

    /// <summary>The network's output, <c>softmax</c> or <c>sigmoid</c>, and what the <c>logits</c> output holds for it.</summary>
    public const string Output = "digits.output";

    /// <summary>The calibration temperature T in <c>probabilities = softmax(logits / T)</c>; 1 for an uncalibrated model.</summary>
    public const string Temperature = "digits.temperature";

    /// <summary>The top probability below which Digits answers "not sure", in [0, 1]; 0 for an uncalibrated model.</summary>
    public const string NotSureThreshold = "digits.not_sure_threshold";

    /// <summary>The measured figures of the model file (e.g. <c>test_accuracy</c>), as a JSON object.</summary>
    public const string Metrics = "digits.metrics";

    /// <summary>The version of Digits that exported the model.</summary>
    public const string Version = "digits.version";

    /// <summary>The version of Digits that trained the model, as its file records it.</summary>
    public const string TrainedWith = "digits.trained_with";

    /// <summary>The version of this Digits build, as model files record it.</summary>
    public static string DigitsVersion { get; } =
        typeof(ModelFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The metadata of the model <paramref name="manifest"/> describes, in a fixed order.</summary>
    internal static IReadOnlyList<KeyValuePair<string, string>> Describe(ModelManifest manifest)
    {
        NetworkSpec network = manifest.Network;
        Calibration calibration = manifest.Calibration ?? Calibration.None;
        IReadOnlyList<string> classes = network.ClassNames ?? [.. Enumerable.Range(0, network.Classes).Select(d => d.ToString(CultureInfo.InvariantCulture))];
        return
        [
            new(ModelId, manifest.Id),
            new(Model, manifest.Model),
            new(Input, DescribeInput(network)),
            new(Normalization, manifest.Normalization is { } n
                ? string.Create(CultureInfo.InvariantCulture, $"(x - {n.Mean}) / {n.Std}, applied inside the graph")
                : "none"),
            new(ClassNames, JsonSerializer.Serialize(classes)),
            new(Output, network.Output == NetworkSpec.Sigmoid
                ? "sigmoid: the network's one logit z is given as logits [0, z], so softmax gives [1 - sigmoid(z), sigmoid(z)]"
                : "softmax: one logit per class"),
            new(Temperature, calibration.Temperature.ToString("R", CultureInfo.InvariantCulture)),
            new(NotSureThreshold, calibration.Threshold.ToString("R", CultureInfo.InvariantCulture)),
            new(Metrics, JsonSerializer.Serialize(manifest.Metrics)),
            new(Version, DigitsVersion),
            new(TrainedWith, manifest.Versions.GetValueOrDefault("digits", "unknown")),
        ];
    }

    private static string DescribeInput(NetworkSpec network)
    {
        (int channels, int height, int width) = (network.Input[0], network.Input[1], network.Input[2]);
        string shape = string.Create(CultureInfo.InvariantCulture, $"NCHW float32 [N, {channels}, {height}, {width}] in [0, 1]");
        if (network.ClassNames is null)
        {
            return $"{shape}, 0 = background: white ink on black, centred as MNIST digits are";
        }
        string planes = channels == 3 ? "R, G, B planes" : "BT.601 luminance";
        string fit = network.CropToSquare ? "cropped to its centred square, then resized" : "resized (squashed)";
        return string.Create(CultureInfo.InvariantCulture, $"{shape}, 0 = black: {planes} of the picture {fit} to {width}x{height}");
    }
}
