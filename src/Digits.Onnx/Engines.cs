using Digits.Core.Inference;
using Digits.Core.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace Digits.Onnx;

/// <summary>
/// The engines a <see cref="Predictor"/> answers with, by the names <c>--engine</c> and <c>Serve:Engine</c> take:
/// libtorch, or ONNX Runtime on the model exported in memory. Both give the same probabilities (within 1e-5).
/// </summary>
public static class Engines
{
    /// <summary>libtorch, on the CPU or a CUDA device.</summary>
    public const string Torch = TorchEngine.EngineName;

    /// <summary>ONNX Runtime on the CPU, on the graph <see cref="OnnxExporter"/> writes, made in memory when the model loads.</summary>
    public const string Onnx = "onnx";

    /// <summary>
    /// The engine used unless another is asked for: ONNX Runtime, which answers one canvas picture in about a third of
    /// libtorch's time (<c>benchmarks/Digits.Benchmarks -- predict</c> times both).
    /// </summary>
    public const string Default = Onnx;

    /// <summary>The accepted names.</summary>
    public static IReadOnlyList<string> Names { get; } = [Torch, Onnx];

    /// <summary>Prepares <paramref name="saved"/> for answering with the engine named <paramref name="engine"/>.</summary>
    /// <param name="saved">The model.</param>
    /// <param name="engine"><see cref="Torch"/> or <see cref="Onnx"/>.</param>
    /// <param name="device">Where libtorch answers (the CPU unless given); ONNX Runtime answers on the CPU only.</param>
    /// <param name="threads">ONNX Runtime's threads per forward pass; libtorch's are set process-wide with <c>torch.set_num_threads</c>.</param>
    /// <exception cref="ArgumentException">An unknown engine, or ONNX Runtime on a device other than the CPU.</exception>
    /// <exception cref="InvalidDataException">The model cannot be exported.</exception>
    public static Predictor Open(SavedModel saved, string engine, Device? device = null, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(saved);
        switch (engine)
        {
            case Torch:
                return Predictor.From(saved, device);
            case Onnx:
                if (device is not null && device.type != DeviceType.CPU)
                {
                    throw new ArgumentException($"The onnx engine answers on the CPU; use --engine {Torch} to answer on {device.type.ToString().ToLowerInvariant()}.");
                }
                return Predictor.From(saved, OnnxEngine.FromSavedModel(saved, new OnnxEngineOptions { IntraOpThreads = threads }));
            default:
                throw new ArgumentException($"Unknown engine '{engine}'; choose one of {string.Join(", ", Names)}.");
        }
    }
}
