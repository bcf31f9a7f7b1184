using System.CommandLine;
using System.Globalization;
using Digits.Core;
using Digits.Core.Data;
using Digits.Core.Evaluation;
using Digits.Core.Inference;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Spectre.Console;
using TorchSharp;

namespace Digits.Cli.Commands;

/// <summary><c>digits evaluate MODEL</c>: test loss, accuracy, per-class figures and the confusion matrix.</summary>
public static class EvaluateCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var model = new Argument<string>("model") { Description = "A .digits model file." };
        var stress = new Option<bool>("--stress") { Description = "Also read the MNIST test digits as photos (inverted, resized, placed on a 500x500 page, thinner or thicker, JPEG) through the whole predict path. Defaults to off." };
        var strokes = new Option<string?>("--strokes") { Description = "Also read pen-tablet digits from this JSON Lines file (e.g. pendigits), drawn on a 280x280 canvas with an 18 px pen, accuracy per writer." };
        var limit = new Option<int?>("--limit") { Description = "Use the first N test images only. Defaults to all." };
        var seed = new Option<int>("--seed") { Description = "Seed of the stress set. Defaults to 1.", DefaultValueFactory = _ => 1 };
        var data = SharedOptions.Data();
        var device = SharedOptions.Device();
        var threads = SharedOptions.Threads();
        var json = SharedOptions.Json();
        var dataDir = new Option<string?>("--data-dir") { Description = "Measure a model trained on an image folder on this folder of the same classes (sub-folders named as its classes)." };
        var command = new Command("evaluate", "Measure a model on the MNIST test set or an image folder, and optionally on photo-like and pen-drawn digits.")
        {
            model, stress, strokes, limit, seed, data, device, threads, json, dataDir,
        };
        command.SetAction(parse =>
        {
            Runtime.Configure(parse.GetValue(threads));
            torch.Device target = Devices.Select(parse.GetValue(device)!);
            SavedModel saved = ModelFile.Load(parse.GetValue(model)!);
            NetworkSpec spec = saved.Manifest.Network;
            using ImageFolder? folder = LoadFolder(saved, parse.GetValue(dataDir), parse.GetValue(stress) || parse.GetValue(strokes) is not null);
            using MnistDataset? mnist = folder is null ? MnistDataset.Load(MnistFiles.ResolveDirectory(parse.GetValue(data)), MnistSplit.Test, parse.GetValue(limit)) : null;
            MnistDataset test = folder?.Data ?? mnist!;
            using DigitsNetwork network = saved.CreateNetwork();
            network.to(target);
            EvaluationResult result = Evaluator.Evaluate(network, test, target);
            IReadOnlyList<ClassMetrics> perClass = result.Confusion.PerClass();
            HandwritingScore? stressScore = null;
            HandwritingScore? strokeScore = null;
            if (parse.GetValue(stress) || parse.GetValue(strokes) is not null)
            {
                using Predictor predictor = Predictor.From(saved, target);
                stressScore = parse.GetValue(stress) ? HandwritingEvaluation.ScoreStress(predictor, test, test.Count, parse.GetValue(seed)) : null;
                strokeScore = parse.GetValue(strokes) is { } strokeFile ? HandwritingEvaluation.Score(predictor, PenDigitsFile.Load(strokeFile)) : null;
            }
            if (parse.GetValue(json))
            {
                JsonOutput.Write(context.Console, new
                {
                    model = saved.Manifest.Model,
                    file = saved.Path,
                    classes = spec.ClassNames,
                    skipped = folder?.Skipped,
                    images = result.Count,
                    loss = result.Loss,
                    accuracy = result.Accuracy,
                    perClass,
                    confusion = result.Confusion.ToArray(),
                    stress = stressScore is null ? null : JsonOutput.Score(stressScore),
                    strokes = strokeScore is null ? null : JsonOutput.Score(strokeScore),
                });
                return 0;
            }
            context.Console.MarkupLine(
                $"[bold]{Markup.Escape(saved.Manifest.Model)}[/] on {result.Count:N0} {(folder is null ? "test images" : "images of " + Markup.Escape(parse.GetValue(dataDir)!))}: accuracy [bold green]{Tables.Percent(result.Accuracy)}[/], " +
                $"loss {result.Loss.ToString("F4", CultureInfo.InvariantCulture)}");
            foreach (SkippedFile skipped in folder?.Skipped ?? [])
            {
                context.Console.MarkupLine($"[yellow]Skipped {Markup.Escape(skipped.Path)}: {Markup.Escape(skipped.Reason)}[/]");
            }
            Tables.WritePerClass(context.Console, perClass, spec.ClassNames);
            Tables.WriteConfusion(context.Console, result.Confusion);
            if (stressScore is not null)
            {
                context.Console.MarkupLine("[bold]Stress set[/] (the same digits as photos):");
                Tables.WriteScore(context.Console, stressScore, "stress pictures");
                context.Console.MarkupLine($"Stress accuracy minus plain accuracy: {(stressScore.Accuracy - result.Accuracy) * 100:+0.00;-0.00} points.");
            }
            if (strokeScore is not null)
            {
                context.Console.MarkupLine("[bold]Pen-tablet digits[/] drawn on the canvas:");
                Tables.WriteScore(context.Console, strokeScore, "drawn digits");
            }
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The image folder to measure a folder-trained model on, read at the model's size and channels with its classes;
    /// null for a digit model. A folder model needs one, and the digit-only measures do not apply to it.
    /// </summary>
    private static ImageFolder? LoadFolder(SavedModel saved, string? directory, bool digitMeasures)
    {
        NetworkSpec spec = saved.Manifest.Network;
        if (spec.ClassNames is null)
        {
            return directory is null
                ? null
                : throw new ArgumentException($"'{saved.Path}' reads MNIST digits; --data-dir is for models trained on an image folder.");
        }
        if (directory is null)
        {
            throw new ArgumentException(
                $"'{saved.Path}' was trained on an image folder (classes {string.Join(", ", spec.ClassNames)}); pass --data-dir with a folder of the same classes.");
        }
        if (digitMeasures)
        {
            throw new ArgumentException("--stress and --strokes measure digit models; this one was trained on an image folder.");
        }
        return ImageFolder.Load(directory, PictureReader.FormatOf(spec), spec.ClassNames);
    }
}
