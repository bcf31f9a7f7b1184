using System.Diagnostics;
using System.Globalization;
using Digits.Core.Data;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Digits.Core.Training;

namespace Digits.Benchmarks;

/// <summary>
/// Runs one epoch of the training job `digits train` runs (its loop, callbacks and checkpoint) and the bare loop in
/// turns on the full training set, and prints seconds per epoch for each, their ratio, and the process's peak RSS.
/// </summary>
internal static class TrainLoopComparison
{
    public static int Run(string[] args)
    {
        string model = args.Length > 0 ? args[0] : "lenet";
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        string data = MnistFiles.ResolveDirectory(null);
        ModelDefinition definition = ModelRegistry.Get(model);
        using MnistDataset train = MnistDataset.Load(data, MnistSplit.Train);
        string output = Path.Combine(Path.GetTempPath(), $"digits-bench-{Environment.ProcessId}.digits");

        var bare = new List<double>();
        var digits = new List<double>();
        for (int round = 1; round <= rounds; round++)
        {
            bare.Add(BareLoop.Epoch(definition, train, seed: round));
            var request = new TrainingRequest { Model = model, Output = output, MnistDirectory = data, Options = new TrainingOptions { Epochs = 1, ValidationSplit = 0, Seed = round } };
            using (TrainingJob job = TrainingJob.Open(request, Console.WriteLine))
            {
                job.Run([]);
            }
            digits.Add(ModelFile.Load(output).Manifest.Training!.History[0].Seconds);
            Console.WriteLine(FormattableString.Invariant($"round {round}: bare {bare[^1]:F2} s, digits train {digits[^1]:F2} s"));
        }
        File.Delete(output);
        double bareMedian = Median(bare);
        double digitsMedian = Median(digits);
        double peakMiB = Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024);
        Console.WriteLine(FormattableString.Invariant(
            $"{model}: bare TorchSharp loop {bareMedian:F2} s/epoch, digits train {digitsMedian:F2} s/epoch (median of {rounds}); digits/bare = {digitsMedian / bareMedian:F3}; peak RSS {peakMiB:F0} MiB"));
        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
