using System.Diagnostics;
using Digits.Core.Data;
using Digits.Core.Inference;
using Digits.Core.Persistence;
using Digits.Core.Preprocessing;
using Digits.Onnx;
using TorchSharp;

namespace Digits.Benchmarks;

/// <summary>
/// <c>onnx [rounds]</c>: the shipped model's answer for one prepared 28x28 image on one thread, through libtorch
/// (<see cref="Predictor"/>, folded network) and through the exported graph in ONNX Runtime at each graph optimisation
/// level, p50/p99 over the MNIST test images; then the throughput of the 10,000 test images in batches of
/// <see cref="Predictor.BatchSize"/>. Both paths end in calibrated probabilities.
/// </summary>
public static class OnnxLatency
{
    private const int Pixels = MnistGeometry.Size * MnistGeometry.Size;
    private const int WarmUp = 200;

    public static int Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 3000;
        SavedModel saved = ModelFile.Load(ShippedModel.Locate());
        float[] pixels;
        using (MnistDataset test = MnistDataset.Load(Path.Combine(SharedData.Folder(), "data", "mnist"), MnistSplit.Test))
        {
            pixels = test.Images.contiguous().data<float>().ToArray();
        }
        int count = pixels.Length / Pixels;
        PreparedPicture[] digits = [.. Enumerable.Range(0, count).Select(i => new PreparedPicture(pixels[(i * Pixels)..((i + 1) * Pixels)], InkProblem.None, null))];
        byte[] model = OnnxExporter.Export(saved);

        Console.WriteLine($"One prepared 28x28 image on one thread, {rounds} rounds after {WarmUp} to warm up (ms):");
        Console.WriteLine($"{"engine",-24}{"p50",8}{"p99",8}{"mean",8}");
        torch.set_num_threads(1);
        using (Predictor predictor = Predictor.From(saved))
        {
            Report("torch (Predictor)", Time(rounds, i => predictor.Predict(digits[i % count])));
        }
        foreach (OnnxOptimization level in Enum.GetValues<OnnxOptimization>())
        {
            using var engine = new OnnxEngine(model, new OnnxEngineOptions { IntraOpThreads = 1, Optimization = level });
            Report($"onnx {level}", Time(rounds, i => engine.Probabilities(digits[i % count].Pixels, 1)));
        }

        Console.WriteLine($"{count:N0} prepared images in batches of {Predictor.BatchSize} (images/s):");
        foreach (int threads in new[] { 1, Environment.ProcessorCount }.Distinct())
        {
            torch.set_num_threads(threads);
            using (Predictor predictor = Predictor.From(saved))
            {
                predictor.PredictMany(digits[..Predictor.BatchSize]);
                Throughput($"torch (Predictor), {threads} thread(s)", count, () => predictor.PredictMany(digits));
            }
            using var engine = new OnnxEngine(model, new OnnxEngineOptions { IntraOpThreads = threads });
            engine.Probabilities(pixels[..(Predictor.BatchSize * Pixels)], Predictor.BatchSize);
            Throughput($"onnx All, {threads} thread(s)", count, () =>
            {
                for (int start = 0; start < count; start += Predictor.BatchSize)
                {
                    int batch = Math.Min(Predictor.BatchSize, count - start);
                    engine.Probabilities(pixels[(start * Pixels)..((start + batch) * Pixels)], batch);
                }
            });
        }
        return 0;
    }

    private static List<double> Time(int rounds, Action<int> answer)
    {
        var times = new List<double>(rounds);
        for (int i = 0; i < WarmUp + rounds; i++)
        {
            long start = Stopwatch.GetTimestamp();
            answer(i);
            if (i >= WarmUp)
            {
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }
        times.Sort();
        return times;
    }

    private static void Report(string engine, List<double> times) =>
        Console.WriteLine($"{engine,-24}{times[times.Count / 2],8:F3}{times[(int)(times.Count * 0.99)],8:F3}{times.Average(),8:F3}");

    private static void Throughput(string engine, int count, Action run)
    {
        var clock = Stopwatch.StartNew();
        run();
        Console.WriteLine($"{engine,-32}{count / clock.Elapsed.TotalSeconds,10:N0}");
    }
}
