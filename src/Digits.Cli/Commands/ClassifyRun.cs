using System.Globalization;
using Digits.Core.Data;
using Digits.Core.Evaluation;
using Digits.Core.Inference;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace Digits.Cli.Commands;

/// <summary>
/// <c>digits predict</c> with a model trained on an image folder: each picture read as the folder's were (resized to
/// the model's square, grey or colour), answered with the class names the folder gave.
/// </summary>
internal sealed record ClassifyRun(CliContext Context, bool Json)
{
    public int Execute(SavedModel saved, Device device, IReadOnlyList<string> files)
    {
        NetworkSpec spec = saved.Manifest.Network;
        IReadOnlyList<string> names = spec.ClassNames!;
        int channels = spec.Input[0];
        int size = spec.Input[1];
        (float[] values, int[] read, IReadOnlyList<SkippedFile> skipped) = ImageFolder.ReadPictures(files, PictureReader.FormatOf(spec));
        foreach (SkippedFile file in skipped)
        {
            Context.Error.WriteLine($"error: {file.Path}: {file.Reason}");
        }
        float[] logits = Logits(saved, device, values, read.Length, channels, size);
        Calibration calibration = saved.Manifest.Calibration ?? Calibration.None;
        var probabilities = new float[names.Count];
        for (int k = 0; k < read.Length; k++)
        {
            calibration.Probabilities(logits.AsSpan(k * names.Count, names.Count), probabilities);
            int[] order = [.. Enumerable.Range(0, names.Count).OrderByDescending(c => probabilities[c])];
            string file = files[read[k]];
            if (Json)
            {
                JsonOutput.WriteLine(Context.Console, new
                {
                    file,
                    @class = names[order[0]],
                    confidence = probabilities[order[0]],
                    probabilities = Enumerable.Range(0, names.Count).ToDictionary(c => names[c], c => probabilities[c]),
                });
                continue;
            }
            string top = string.Join(", ", order.Take(3).Select(c => $"{names[c]} {probabilities[c] * 100:F1} %"));
            Context.Console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"{file}: {names[order[0]]} ({probabilities[order[0]] * 100:F1} %)  top {Math.Min(3, names.Count)}: {top}")));
        }
        if (read.Length == 0)
        {
            Context.Error.WriteLine("error: nothing could be predicted.");
            return 1;
        }
        return 0;
    }

    private static float[] Logits(SavedModel saved, Device device, float[] batch, int count, int channels, int size)
    {
        if (count == 0)
        {
            return [];
        }
        // Created on the CPU by the file, loaded, then moved.
        using DigitsNetwork network = saved.CreateNetwork();
        network.to(device);
        // Unlabelled: the labels are placeholders the evaluator's batching carries along.
        using var pictures = new MnistDataset(tensor(batch, [count, channels, size, size]), zeros(count, ScalarType.Int64));
        using Tensor logits = Evaluator.Logits(network, pictures, device);
        return logits.data<float>().ToArray();
    }
}
