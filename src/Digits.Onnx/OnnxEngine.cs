using Digits.Core.Inference;
using Digits.Core.Persistence;
using Microsoft.ML.OnnxRuntime;

namespace Digits.Onnx;

/// <summary>
/// Runs an exported Digits model with ONNX Runtime on the CPU, from the model's bytes in memory (no file is
/// written). Thread-safe: ONNX Runtime's <c>Run</c> may be called concurrently on one session, and each call here
/// owns its input and output buffers, so one instance can serve concurrent requests.
/// </summary>
public sealed class OnnxEngine : ILogitsEngine
{
    private static readonly string[] s_inputs = [OnnxExporter.InputName];
    private static readonly string[] s_logits = [OnnxExporter.LogitsName];
    private static readonly string[] s_probabilities = [OnnxExporter.ProbabilitiesName];
    private static readonly string[] s_both = [OnnxExporter.LogitsName, OnnxExporter.ProbabilitiesName];

    private readonly InferenceSession _session;

    // Read-only once made: the C API takes run options as const, so runs on several threads may share them.
    private readonly RunOptions _runOptions;

    /// <summary>Starts a session on the ONNX model <paramref name="model"/>, as <see cref="OnnxExporter.Export(SavedModel)"/> writes it.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model, or not one with Digits' input and outputs.</exception>
    public OnnxEngine(byte[] model, OnnxEngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new OnnxEngineOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.IntraOpThreads, nameof(options));
        using var sessionOptions = new SessionOptions
        {
            IntraOpNumThreads = options.IntraOpThreads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = options.Optimization switch
            {
                OnnxOptimization.Disabled => GraphOptimizationLevel.ORT_DISABLE_ALL,
                OnnxOptimization.Basic => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                OnnxOptimization.Extended => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                OnnxOptimization.All => GraphOptimizationLevel.ORT_ENABLE_ALL,
                _ => throw new ArgumentOutOfRangeException(nameof(options), options.Optimization, "Unknown graph optimisation level."),
            },
        };
        try
        {
            _session = new InferenceSession(model, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"The {model.Length:N0} bytes given are not an ONNX model ONNX Runtime can load ({e.Message.ReplaceLineEndings(" ")}).", e);
        }
        _runOptions = new RunOptions();
        try
        {
            (InputShape, Classes) = CheckSignature(_session);
            Metadata = _session.ModelMetadata.CustomMetadataMap;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Exports <paramref name="saved"/> in memory and starts a session on it.</summary>
    /// <exception cref="InvalidDataException">The weights do not fit the architecture, or a layer the exporter does not know.</exception>
    public static OnnxEngine FromSavedModel(SavedModel saved, OnnxEngineOptions? options = null) => new(OnnxExporter.Export(saved), options);

    /// <inheritdoc />
    public string Name => Engines.Onnx;

    /// <summary>The shape of one image, [channels, height, width].</summary>
    public IReadOnlyList<int> InputShape { get; }

    /// <summary>The number of classes: values per image in each output.</summary>
    public int Classes { get; }

    /// <summary>What the model says about itself; the keys are in <see cref="OnnxMetadata"/>.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The logits of <paramref name="count"/> images, <see cref="Classes"/> per image.</summary>
    /// <param name="values"><paramref name="count"/> images of <see cref="InputShape"/>, NCHW row by row, float32 in [0, 1].</param>
    /// <param name="count">The number of images.</param>
    /// <exception cref="ArgumentException">The values are not <paramref name="count"/> images of <see cref="InputShape"/>.</exception>
    public float[] Logits(float[] values, int count) => Run(values, count, s_logits)[0];

    /// <summary>The calibrated probabilities of <paramref name="count"/> images, <see cref="Classes"/> per image.</summary>
    /// <inheritdoc cref="Logits" path="/param"/>
    /// <exception cref="ArgumentException">The values are not <paramref name="count"/> images of <see cref="InputShape"/>.</exception>
    public float[] Probabilities(float[] values, int count) => Run(values, count, s_probabilities)[0];

    /// <summary>The logits and probabilities of <paramref name="count"/> images, in one run.</summary>
    /// <inheritdoc cref="Logits" path="/param"/>
    /// <exception cref="ArgumentException">The values are not <paramref name="count"/> images of <see cref="InputShape"/>.</exception>
    public OnnxOutputs Run(float[] values, int count)
    {
        float[][] outputs = Run(values, count, s_both);
        return new OnnxOutputs(outputs[0], outputs[1]);
    }

    private float[][] Run(float[] values, int count, string[] outputNames)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        long perImage = (long)InputShape[0] * InputShape[1] * InputShape[2];
        if (values.LongLength != count * perImage)
        {
            throw new ArgumentException(
                $"Expected {count * perImage} values, {count} image{(count == 1 ? "" : "s")} of [{string.Join(", ", InputShape)}]; received {values.Length}.", nameof(values));
        }
        if (count == 0)
        {
            return [.. outputNames.Select(_ => Array.Empty<float>())];
        }
        long[] shape = [count, InputShape[0], InputShape[1], InputShape[2]];
        using OrtValue input = OrtValue.CreateTensorValueFromMemory(values, shape);
        using IDisposableReadOnlyCollection<OrtValue> results = _session.Run(_runOptions, s_inputs, [input], outputNames);
        return [.. results.Select(r => r.GetTensorDataAsSpan<float>().ToArray())];
    }

    private static (IReadOnlyList<int> Input, int Classes) CheckSignature(InferenceSession session)
    {
        int[]? input = session.InputMetadata.GetValueOrDefault(OnnxExporter.InputName)?.Dimensions;
        int[]? logits = session.OutputMetadata.GetValueOrDefault(OnnxExporter.LogitsName)?.Dimensions;
        int[]? probabilities = session.OutputMetadata.GetValueOrDefault(OnnxExporter.ProbabilitiesName)?.Dimensions;
        if (input is not [_, > 0, > 0, > 0] || logits is not [_, > 0 and var classes] || probabilities is not [_, var columns] || columns != classes)
        {
            throw new InvalidDataException(
                $"The ONNX model is not a Digits export: it needs an input '{OnnxExporter.InputName}' [N, C, H, W] and outputs " +
                $"'{OnnxExporter.LogitsName}' and '{OnnxExporter.ProbabilitiesName}' [N, classes]; it has inputs {string.Join(", ", session.InputNames)} " +
                $"and outputs {string.Join(", ", session.OutputNames)}.");
        }
        return ([input[1], input[2], input[3]], classes);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }
}
