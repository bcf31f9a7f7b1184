using System.CommandLine;
using System.Globalization;
using Digits.Core;
using Digits.Core.Data;
using Digits.Core.Evaluation;
using Digits.Core.Inference;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Digits.Core.Preprocessing;
using Digits.Plots;
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
        var strokes = new Option<string?>("--strokes") { HelpName = "FILE", Description = "Also read pen-tablet digits from this JSON Lines file (e.g. pendigits), drawn on a 280x280 canvas with an 18 px pen, accuracy per writer." };
        var heldOut = SharedOptions.HeldOut("with --strokes, score only these writers (the ones 'digits train --extra-data FILE --held-out K/N' left out).");
        var mistakes = new Option<string?>("--mistakes") { HelpName = "FILE", Description = $"With --strokes: draw up to {MistakesDrawn} of the drawn digits' mistakes, most confident first, titled \"Actual / Pred\" with the confidence, to this .png or .svg file." };
        var limit = new Option<int?>("--limit") { Description = "Use the first N test images only. Defaults to all." };
        var seed = new Option<int>("--seed") { Description = "Seed of the stress set.", DefaultValueFactory = _ => 1 };
        var data = SharedOptions.Data();
        var device = SharedOptions.Device();
        var threads = SharedOptions.Threads();
        var json = SharedOptions.Json();
        var dataDir = SharedOptions.DataDir();
        var command = new Command("evaluate", "Measure a model on the MNIST test set or an image folder, and optionally on photo-like and pen-drawn digits.")
        {
            model, stress, strokes, heldOut, mistakes, limit, seed, data, device, threads, json, dataDir,
        };
        command.SetAction(parse =>
        {
            Runtime.Configure(parse.GetValue(threads));
            torch.Device target = Devices.Select(parse.GetValue(device)!);
            SavedModel saved = ModelFile.Load(parse.GetValue(model)!);
            NetworkSpec spec = saved.Manifest.Network;
            using LabelledData labelled = LabelledData.Load(saved, parse.GetValue(data), parse.GetValue(dataDir), parse.GetValue(limit));
            if (labelled.Classes is not null && (parse.GetValue(stress) || parse.GetValue(strokes) is not null))
            {
                throw new ArgumentException("--stress and --strokes measure digit models; this one was trained on an image folder.");
            }
            if (parse.GetValue(strokes) is null && (parse.GetValue(heldOut) is not null || parse.GetValue(mistakes) is not null))
            {
                throw new ArgumentException("--held-out and --mistakes are about the pen digits; give --strokes FILE too.");
            }
            if (parse.GetValue(mistakes) is { } picture)
            {
                FigureFile.CheckPath(picture);
            }
            List<PenDigit>? penDigits = parse.GetValue(strokes) is { } strokeFile ? PenDigitsFile.Load(strokeFile) : null;
            if (penDigits is not null && parse.GetValue(heldOut) is { } fold)
            {
                penDigits = WriterFold.Parse(fold).Select(penDigits, inFold: true);
                if (penDigits.Count == 0)
                {
                    throw new ArgumentException($"No writer of '{parse.GetValue(strokes)}' is in fold {fold}.");
                }
            }
            MnistDataset test = labelled.Data;
            using DigitsNetwork network = saved.CreateNetwork();
            network.to(target);
            EvaluationResult result = Evaluator.Evaluate(network, test, target);
            IReadOnlyList<ClassMetrics> perClass = result.Confusion.PerClass();
            HandwritingScore? stressScore = null;
            HandwritingScore? strokeScore = null;
            if (parse.GetValue(stress) || penDigits is not null)
            {
                using Predictor predictor = Predictor.From(saved, target);
                stressScore = parse.GetValue(stress) ? HandwritingEvaluation.ScoreStress(predictor, test, test.Count, parse.GetValue(seed)) : null;
                strokeScore = penDigits is null ? null : HandwritingEvaluation.Score(predictor, penDigits);
            }
            if (strokeScore is not null && parse.GetValue(mistakes) is { } grid)
            {
                DrawMistakes(grid, penDigits!, strokeScore);
            }
            if (parse.GetValue(json))
            {
                JsonOutput.Write(context.Console, new
                {
                    model = saved.Manifest.Model,
                    file = saved.Path,
                    classes = spec.ClassNames,
                    skipped = labelled.Skipped,
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
                $"[bold]{Markup.Escape(saved.Manifest.Model)}[/] on {result.Count:N0} {Markup.Escape(labelled.What)}: accuracy [bold green]{Tables.Percent(result.Accuracy)}[/], " +
                $"loss {result.Loss.ToString("F4", CultureInfo.InvariantCulture)}");
            foreach (SkippedFile skipped in labelled.Skipped)
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
                Tables.WriteCoverage(context.Console, strokeScore);
            }
            return 0;
        });
        return command;
    }

    private const int MistakesDrawn = 64;

    private const int GridSide = 1200;

    /// <summary>The pen digits' mistakes as they were read (prepared, 28x28), titled with label, answer and confidence.</summary>
    private static void DrawMistakes(string path, List<PenDigit> digits, HandwritingScore score)
    {
        if (score.Mistakes.Count == 0)
        {
            throw new ArgumentException("The model reads every pen digit right, so there is no mistake to draw.");
        }
        SampleGrid.Cell[] cells =
        [
            .. score.Mistakes.Take(MistakesDrawn).Select(m => new SampleGrid.Cell(
                digits[m.Index].Prepare().Pixels, MnistGeometry.Size, MnistGeometry.Size,
                $"Actual: {m.Actual} / Pred: {m.Predicted} ({m.Confidence * 100:F0}%)", Mistake: true)),
        ];
        FigureFile.Write(path, GridSide, GridSide, canvas => SampleGrid.Draw(canvas, GridSide, GridSide, cells));
    }
}
