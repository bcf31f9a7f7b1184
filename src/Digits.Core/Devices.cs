using static TorchSharp.torch;

namespace Digits.Core;

/// <summary>Chooses where tensors live. The one place that decides between CPU and CUDA.</summary>
public static class Devices
{
    /// <summary>The accepted device names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["auto", "cpu", "cuda"];

    /// <summary>
    /// The device for <paramref name="preferred"/>: <c>cpu</c>, <c>cuda</c> (fails when CUDA is missing)
    /// or <c>auto</c> (CUDA when TorchSharp sees it, else the CPU).
    /// </summary>
    /// <exception cref="ArgumentException">An unknown name, or <c>cuda</c> without CUDA.</exception>
    public static Device Select(string preferred)
    {
        switch (preferred)
        {
            case "cpu":
                return CPU;
            case "cuda":
                if (!cuda.is_available())
                {
                    throw new ArgumentException(
                        "CUDA was asked for but TorchSharp sees no CUDA device; build with the CUDA backend package (see the README) or use --device cpu.");
                }
                return CUDA;
            case "auto":
                return cuda.is_available() ? CUDA : CPU;
            default:
                throw new ArgumentException($"Unknown device '{preferred}'; choose one of {string.Join(", ", Names)}.");
        }
    }
}
