using TorchSharp;

namespace Digits.Cli;

/// <summary>Process-wide libtorch settings, applied once per command.</summary>
internal static class Runtime
{
    /// <summary>Sets libtorch's intra-op thread count when <paramref name="threads"/> is given.</summary>
    public static void Configure(int? threads)
    {
        if (threads is null)
        {
            return;
        }
        if (threads <= 0)
        {
            throw new ArgumentException($"--threads must be positive; received {threads}.");
        }
        torch.set_num_threads(threads.Value);
    }
}
