using System.Diagnostics;
using Digits.Core.Data;
using Digits.Core.Training;
using static TorchSharp.torch;

namespace Digits.Benchmarks;

/// <summary>
/// What the pen redraw (<c>--augment digits,pen=0.5</c>) adds to a run: the skeletons of the whole training set,
/// found once, and an epoch's augmentation of batches of 128 with and without the redraw.
/// </summary>
public static class PenRedrawCost
{
    private const int Batch = 128;

    public static int Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 3;
        string mnist = Environment.GetEnvironmentVariable("DIGITS_DATA") ?? Path.Combine(SharedData.Folder(), "data", "mnist");
        using MnistDataset train = MnistDataset.Load(mnist, MnistSplit.Train);
        Augmentation pen = Augmentation.Parse("digits,pen=0.5")!;
        for (int round = 0; round < rounds; round++)
        {
            var clock = Stopwatch.StartNew();
            using Tensor distances = PenRedraw.Distances(train.Images);
            double skeletons = clock.Elapsed.TotalSeconds;
            double withPen = Epoch(pen, train, distances);
            double without = Epoch(Augmentation.Digits, train, null);
            Console.WriteLine($"round {round + 1}: skeletons of {train.Count:N0} digits {skeletons:F1} s; an epoch's augmentation {withPen:F1} s with the pen redraw, {without:F1} s without");
        }
        return 0;
    }

    private static double Epoch(Augmentation augmentation, MnistDataset train, Tensor? distances)
    {
        random.manual_seed(1);
        var clock = Stopwatch.StartNew();
        for (long start = 0; start < train.Count; start += Batch)
        {
            using var scope = NewDisposeScope();
            long length = Math.Min(Batch, train.Count - start);
            augmentation.Apply(train.Images.narrow(0, start, length), train.Labels.narrow(0, start, length), distances?.narrow(0, start, length));
        }
        return clock.Elapsed.TotalSeconds;
    }
}
