using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Digits.Core;
using Digits.Core.Data;
using Digits.Core.Evaluation;
using Digits.Core.Inference;
using Digits.Core.Persistence;
using Digits.Core.Preprocessing;
using Spectre.Console;

namespace Digits.Cli.Commands;

/// <summary>
/// <c>digits predict PATH...</c>: reads pictures (files, folders, or folders with sub-folders named after the model's
/// classes, 0-9 for digits) as the model reads them, and answers with the class, its confidence and the top three, or
/// "not sure"; labelled folders are scored.
/// </summary>
public static class PredictCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var paths = new Argument<string[]>("paths") { Description = "Image files or folders; a folder with sub-folders named after the model's classes (0-9 for digits) is scored against them.", Arity = ArgumentArity.OneOrMore };
        var model = new Option<string?>("--model", "-m") { HelpName = "FILE", Description = "A .digits model file. Defaults to the shipped model." };
        var show = new Option<string?>("--show") { HelpName = "FILE", Description = "Also write the 28x28 image the model saw, enlarged, to this PNG (one input image only)." };
        var threads = SharedOptions.Threads();
        var device = SharedOptions.Device();
        var engine = SharedOptions.Engine();
        var json = SharedOptions.Json();
        var command = new Command("predict", "Read handwritten digits, or a folder model's classes, from pictures.") { paths, model, show, threads, device, engine, json };
        command.SetAction(parse =>
        {
            Runtime.Configure(parse.GetValue(threads));
            using Predictor predictor = SharedOptions.OpenPredictor(parse.GetValue(model), parse.GetValue(engine)!, parse.GetValue(device)!, parse.GetValue(threads));
            if (parse.GetValue(show) is not null && !predictor.ReadsDigits)
            {
                throw new ArgumentException("--show writes the 28x28 digit the model saw; this model was trained on an image folder.");
            }
            var output = new PredictionOutput(context, parse.GetValue(json), predictor.Classes, predictor.ReadsDigits);
            return Execute(predictor, parse.GetValue(paths)!, output, parse.GetValue(show));
        });
        return command;
    }

    /// <summary>A picture's outcome: prepared, or why it could not be read.</summary>
    private sealed record Read(PictureInput Input, PreparedPicture? Picture, string? Error);

    private static int Execute(Predictor predictor, string[] paths, PredictionOutput output, string? showPath)
    {
        List<PictureInput> inputs = PictureInputs.Expand(paths, predictor.Classes, out List<string> problems);
        if (showPath is not null && inputs.Count != 1)
        {
            throw new ArgumentException($"--show writes the image of one picture; {inputs.Count} were given.");
        }
        output.Problems(problems);
        var clock = Stopwatch.StartNew();
        var read = new Read[inputs.Count];
        Parallel.For(0, inputs.Count, i => read[i] = ReadOne(predictor, inputs[i]));
        int[] readable = [.. Enumerable.Range(0, read.Length).Where(i => read[i].Picture is not null)];
        IReadOnlyList<Prediction> predictions = predictor.PredictMany([.. readable.Select(i => read[i].Picture!)]);
        clock.Stop();

        var predictionOf = new Prediction?[read.Length];
        for (int k = 0; k < readable.Length; k++)
        {
            predictionOf[readable[k]] = predictions[k];
        }
        for (int i = 0; i < read.Length; i++)
        {
            if (read[i].Error is not null)
            {
                output.Problems([$"{read[i].Input.Path}: {read[i].Error}"]);
            }
            else
            {
                output.One(read[i].Input, predictionOf[i]!);
            }
        }
        if (readable.Length == 0)
        {
            output.Problems(["nothing could be predicted."]);
            return 1;
        }
        int[] labelled = [.. readable.Where(i => read[i].Input.Label is not null)];
        if (labelled.Length > 0)
        {
            output.Score(HandwritingScore.From(
                [.. labelled.Select(i => predictionOf[i]!)], [.. labelled.Select(i => read[i].Input.Label!.Value)], null, predictor.Classes.Count));
        }
        if (inputs.Count > 1)
        {
            output.Speed(readable.Length, inputs.Count, clock.Elapsed);
        }
        if (showPath is not null)
        {
            output.Show(read[readable[0]].Picture!, showPath);
        }
        return 0;
    }

    private static Read ReadOne(Predictor predictor, PictureInput input)
    {
        try
        {
            return new Read(input, predictor.ReadFile(input.Path), null);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return new Read(input, null, e.Message);
        }
    }
}
