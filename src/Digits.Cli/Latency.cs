using System.Diagnostics;
using Digits.Core.Inference;
using Digits.Core.Persistence;
using Digits.Core.Preprocessing;
using Digits.Onnx;
using TorchSharp;

namespace Digits.Cli;

/// <summary>How long a model takes to answer one prepared picture (a 28x28 digit, or a folder model's input), as a person would wait for it.</summary>
public static class Latency
{
    private const int Warmup = 20;
    private const int Rounds = 200;

    /// <summary>
    /// The median over 200 answers after 20 to warm up, in milliseconds, with the default engine on one thread (as a
    /// server answers each request).
    /// </summary>
    public static double MedianMilliseconds(SavedModel saved)
    {
        using Predictor predictor = Engines.Open(saved, Engines.Default, threads: 1);
        var random = new Random(1);
        int size = saved.Manifest.Network.Input.Aggregate(1, (a, b) => a * b);
        var digit = new PreparedPicture([.. Enumerable.Range(0, size).Select(_ => random.NextSingle())], InkProblem.None, null);
        int threads = torch.get_num_threads();
        torch.set_num_threads(1);
        var times = new double[Rounds];
        try
        {
            for (int i = -Warmup; i < Rounds; i++)
            {
                long start = Stopwatch.GetTimestamp();
                predictor.Predict(digit);
                if (i >= 0)
                {
                    times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                }
            }
        }
        finally
        {
            torch.set_num_threads(threads);
        }
        Array.Sort(times);
        return times[Rounds / 2];
    }
}
