using System.Diagnostics;
using System.Globalization;
using Digits.Cli;
using Digits.Core.Data;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Spectre.Console;

namespace Digits.Benchmarks;

/// <summary>
/// Runs `digits train --epochs 1` (in-process, progress bar included) and the bare loop in turns on the
/// full training set, and prints seconds per epoch for each, their ratio, and the process's peak RSS.
/// </summary>
internal static class TrainLoopComparison
{
    public static async Task<int> RunAsync(string[] args)
    {
        string model = args.Length > 0 ? args[0] : "lenet";
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        string data = MnistFiles.ResolveDirectory(null);
        ModelDefinition definition = ModelRegistry.Get(model);
        using MnistDataset train = MnistDataset.Load(data, MnistSplit.Train);
        string output = Path.Combine(Path.GetTempPath(), $"digits-bench-{Environment.ProcessId}.digits");
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null), Interactive = InteractionSupport.Yes, Ansi = AnsiSupport.Yes });

        var bare = new List<double>();
        var digits = new List<double>();
        for (int round = 1; round <= rounds; round++)
        {
            bare.Add(BareLoop.Epoch(definition, train, seed: round));
            string[] command = ["train", "--model", model, "--epochs", "1", "--val-split", "0", "--seed", round.ToString(CultureInfo.InvariantCulture), "--data", data, "--out", output];
            int exit = await DigitsCli.RunAsync(command, console, Console.Error);
            if (exit != 0)
            {
                return exit;
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
