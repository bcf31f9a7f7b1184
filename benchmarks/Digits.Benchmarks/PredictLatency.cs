using System.Diagnostics;
using Digits.Core.Data;
using Digits.Core.Evaluation;
using Digits.Core.Inference;
using Digits.Core.Persistence;
using Digits.Core.Preprocessing;
using Digits.Onnx;
using TorchSharp;

namespace Digits.Benchmarks;

/// <summary>
/// <c>predict [rounds]</c>: the latency of answering one 280x280 canvas PNG on one thread (decode, prepare,
/// forward pass), with percentiles of the whole and of each stage, over the pendigits drawings, for each engine;
/// then each engine's throughput on a folder-sized batch.
/// </summary>
public static class PredictLatency
{
    public static int Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 2000;
        SavedModel saved = ModelFile.Load(ShippedModel.Locate());
        string strokes = Path.Combine(SharedData.Folder(), "data", "pendigits", "pendigits-tra.jsonl.gz");
        List<PenDigit> digits = PenDigitsFile.Load(strokes);
        byte[][] pngs = [.. digits.Take(200).Select(d => Pictures.Png(d.Draw()))];
        Console.WriteLine($"One 280x280 PNG on one thread, {rounds} rounds after 100 to warm up (ms):");
        Console.WriteLine($"{"engine",-8}{"stage",-10}{"p50",8}{"p99",8}{"mean",8}");
        foreach (string engine in Engines.Names)
        {
            torch.set_num_threads(1);
            using Predictor predictor = Engines.Open(saved, engine, threads: 1);
            OnePicture(predictor, pngs, rounds);
        }

        // A folder's worth: prepare in parallel, predict in batches, as `digits predict folder/` does.
        byte[][] folder = [.. Enumerable.Range(0, 10_000).Select(i => pngs[i % pngs.Length])];
        foreach (string engine in Engines.Names)
        {
            torch.set_num_threads(Environment.ProcessorCount);
            using Predictor predictor = Engines.Open(saved, engine, threads: Environment.ProcessorCount);
            var clock = Stopwatch.StartNew();
            var prepared = new PreparedPicture[folder.Length];
            Parallel.For(0, folder.Length, i => prepared[i] = predictor.Read(folder[i]));
            predictor.PredictMany(prepared);
            Console.WriteLine($"{engine}: 10,000 PNGs in batches of {Predictor.BatchSize} on {Environment.ProcessorCount} cores: {folder.Length / clock.Elapsed.TotalSeconds:N0} images/s");
        }
        return 0;
    }

    private static void OnePicture(Predictor predictor, byte[][] pngs, int rounds)
    {
        var decode = new List<double>();
        var prepare = new List<double>();
        var forward = new List<double>();
        var total = new List<double>();
        for (int i = 0; i < rounds + 100; i++)
        {
            byte[] png = pngs[i % pngs.Length];
            long t0 = Stopwatch.GetTimestamp();
            GreyImage image = ImageDecoder.Decode(png);
            long t1 = Stopwatch.GetTimestamp();
            PreparedPicture digit = ImagePreprocessor.Prepare(image);
            long t2 = Stopwatch.GetTimestamp();
            predictor.Predict(digit);
            long t3 = Stopwatch.GetTimestamp();
            if (i >= 100)
            {
                // The first 100 warm up the JIT and the engine.
                decode.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds);
                prepare.Add(Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds);
                forward.Add(Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds);
                total.Add(Stopwatch.GetElapsedTime(t0, t3).TotalMilliseconds);
            }
        }
        foreach ((string name, List<double> times) in new[] { ("decode", decode), ("prepare", prepare), ("forward", forward), ("total", total) })
        {
            times.Sort();
            Console.WriteLine($"{predictor.Engine,-8}{name,-10}{times[times.Count / 2],8:F3}{times[(int)(times.Count * 0.99)],8:F3}{times.Average(),8:F3}");
        }
    }

    /// <summary>Writes the first pen-tablet digit as a 280x280 canvas PNG to <paramref name="path"/>.</summary>
    public static int WriteCanvasPng(string path)
    {
        PenDigit digit = PenDigitsFile.Load(Path.Combine(SharedData.Folder(), "data", "pendigits", "pendigits-tra.jsonl.gz"))[0];
        File.WriteAllBytes(path, Pictures.Png(digit.Draw()));
        return 0;
    }

    /// <summary>Writes every digit of a strokes file as a 280x280 canvas PNG into <paramref name="folder"/>/LABEL/.</summary>
    public static int WriteCanvasFolder(string strokes, string folder)
    {
        List<PenDigit> digits = PenDigitsFile.Load(strokes);
        Parallel.For(0, digits.Count, i =>
        {
            PenDigit digit = digits[i];
            string path = Path.Combine(folder, digit.Label.ToString(System.Globalization.CultureInfo.InvariantCulture), $"{digit.Writer}-{i:D5}.png");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, Pictures.Png(digit.Draw()));
        });
        Console.WriteLine($"Wrote {digits.Count} canvas PNGs under {folder}.");
        return 0;
    }
}
