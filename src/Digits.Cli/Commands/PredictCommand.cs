using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Digits.Core;
using Digits.Core.Evaluation;
using Digits.Core.Inference;
using Digits.Core.Persistence;
using Digits.Core.Preprocessing;
using SkiaSharp;
using Spectre.Console;
using TorchSharp;

namespace Digits.Cli.Commands;

/// <summary>
/// <c>digits predict PATH...</c>: reads pictures of digits (files, folders, or folders with sub-folders 0-9),
/// prepares them as MNIST was, and answers with the digit, its confidence and the top three, or "not sure".
/// </summary>
public static class PredictCommand
{
    /// <summary>The file extensions picked up from folders (files named explicitly are tried whatever their name).</summary>
    public static IReadOnlyList<string> ImageExtensions { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".webp", ".gif"];

    /// <summary>Each pixel of the 28x28 image is drawn as a square this many pixels wide by --show.</summary>
    private const int ShowScale = 10;

    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var paths = new Argument<string[]>("paths") { Description = "Image files or folders; a folder with sub-folders named 0-9 is scored against them.", Arity = ArgumentArity.OneOrMore };
        var model = new Option<string?>("--model", "-m") { Description = "A .digits model file. Defaults to the shipped model." };
        var show = new Option<string?>("--show") { Description = "Also write the 28x28 image the model saw, enlarged, to this PNG (one input image only)." };
        var threads = SharedOptions.Threads();
        var device = SharedOptions.Device();
        var json = SharedOptions.Json();
        var command = new Command("predict", "Read handwritten digits from pictures.") { paths, model, show, threads, device, json };
        command.SetAction(parse =>
        {
            Runtime.Configure(parse.GetValue(threads));
            SavedModel saved = ModelFile.Load(parse.GetValue(model) ?? ShippedModel.Locate());
            torch.Device target = Devices.Select(parse.GetValue(device)!);
            if (saved.Manifest.Network.ClassNames is not null)
            {
                // A model trained on an image folder: its pictures are not digits to prepare as MNIST's were.
                if (parse.GetValue(show) is not null)
                {
                    throw new ArgumentException("--show writes the 28x28 digit the model saw; this model was trained on an image folder.");
                }
                List<Input> inputs = PredictRun.Expand(parse.GetValue(paths)!, out List<string> problems);
                foreach (string problem in problems)
                {
                    context.Error.WriteLine($"error: {problem}");
                }
                return new ClassifyRun(context, parse.GetValue(json)).Execute(saved, target, [.. inputs.Select(i => i.Path)]);
            }
            var run = new PredictRun(context, parse.GetValue(json), parse.GetValue(show));
            using Predictor predictor = Predictor.From(saved, target);
            return run.Execute(predictor, parse.GetValue(paths)!);
        });
        return command;
    }

    /// <summary>One picture to read, with its label when it comes from a folder named 0-9.</summary>
    private sealed record Input(string Path, int? Label);

    /// <summary>A picture's outcome: a prepared digit, or why it could not be read.</summary>
    private sealed record Prepared(Input Input, PreparedPicture? Digit, string? Error);

    private sealed record PredictRun(CliContext Context, bool Json, string? ShowPath)
    {
        public int Execute(Predictor predictor, string[] paths)
        {
            List<Input> inputs = Expand(paths, out List<string> problems);
            if (ShowPath is not null && inputs.Count != 1)
            {
                throw new ArgumentException($"--show writes the image of one picture; {inputs.Count} were given.");
            }
            foreach (string problem in problems)
            {
                Context.Error.WriteLine($"error: {problem}");
            }
            var clock = Stopwatch.StartNew();
            Prepared[] prepared = new Prepared[inputs.Count];
            Parallel.For(0, inputs.Count, i => prepared[i] = Prepare(inputs[i]));
            int[] readable = [.. Enumerable.Range(0, prepared.Length).Where(i => prepared[i].Digit is not null)];
            IReadOnlyList<Prediction> predictions = predictor.PredictMany([.. readable.Select(i => prepared[i].Digit!)]);
            clock.Stop();

            var predictionOf = new Prediction?[prepared.Length];
            for (int k = 0; k < readable.Length; k++)
            {
                predictionOf[readable[k]] = predictions[k];
            }
            for (int i = 0; i < prepared.Length; i++)
            {
                if (prepared[i].Error is not null)
                {
                    Context.Error.WriteLine($"error: {prepared[i].Input.Path}: {prepared[i].Error}");
                }
                else if (prepared[i].Input.Label is null || Json)
                {
                    WriteOne(prepared[i], predictionOf[i]!);
                }
            }
            if (readable.Length == 0)
            {
                Context.Error.WriteLine("error: nothing could be predicted.");
                return 1;
            }
            if (readable.Any(i => prepared[i].Input.Label is not null))
            {
                WriteScore([.. readable.Select(i => prepared[i])], predictions);
            }
            if (!Json && inputs.Count > 1)
            {
                Context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                    $"{readable.Length:N0} of {inputs.Count:N0} images predicted in {clock.Elapsed.TotalSeconds:F2} s ({readable.Length / clock.Elapsed.TotalSeconds:N0} images/s)."));
            }
            if (ShowPath is not null)
            {
                Show(prepared[readable[0]]);
            }
            return 0;
        }

        /// <summary>
        /// Files as given; folders as their image files, or with sub-folders 0-9 as labelled images. A path that
        /// does not exist, or a folder without images, is a problem to report; the other paths still count.
        /// </summary>
        public static List<Input> Expand(string[] paths, out List<string> problems)
        {
            var inputs = new List<Input>();
            problems = [];
            foreach (string path in paths)
            {
                if (File.Exists(path))
                {
                    inputs.Add(new Input(path, null));
                    continue;
                }
                if (!Directory.Exists(path))
                {
                    problems.Add($"{path}: no such file or folder.");
                    continue;
                }
                string[] classFolders = [.. Enumerable.Range(0, 10).Select(d => Path.Combine(path, d.ToString(CultureInfo.InvariantCulture))).Where(Directory.Exists)];
                List<Input> found = classFolders.Length > 0
                    ? [.. classFolders.SelectMany(folder => ImagesIn(folder).Select(file => new Input(file, int.Parse(Path.GetFileName(folder), CultureInfo.InvariantCulture))))]
                    : [.. ImagesIn(path).Select(file => new Input(file, null))];
                if (found.Count == 0)
                {
                    problems.Add($"{path}: the folder holds no images ({string.Join(", ", ImageExtensions)}), nor sub-folders 0-9 with images.");
                }
                inputs.AddRange(found);
            }
            return inputs;
        }

        private static IEnumerable<string> ImagesIn(string folder) =>
            Directory.EnumerateFiles(folder)
                .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                .Order(StringComparer.Ordinal);

        private static Prepared Prepare(Input input)
        {
            try
            {
                return new Prepared(input, ImagePreprocessor.Prepare(ImageDecoder.DecodeFile(input.Path)), null);
            }
            catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
            {
                return new Prepared(input, null, e.Message);
            }
        }

        private void WriteOne(Prepared item, Prediction prediction)
        {
            if (Json)
            {
                JsonOutput.WriteLine(Context.Console, new
                {
                    file = item.Input.Path,
                    label = item.Input.Label,
                    digit = prediction.Digit,
                    confidence = prediction.Confidence,
                    notSure = prediction.NotSure,
                    reason = prediction.Reason,
                    probabilities = prediction.Probabilities,
                });
                return;
            }
            string top = string.Join(", ", prediction.Top(3).Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Digit} {t.Probability:P1}")));
            string answer = prediction.NotSure
                ? string.Create(CultureInfo.InvariantCulture, $"[yellow]not sure[/] (best guess {prediction.Digit}, {prediction.Confidence:P1}): {Markup.Escape(prediction.Reason ?? "")}")
                : string.Create(CultureInfo.InvariantCulture, $"[bold green]{prediction.Digit}[/] ({prediction.Confidence:P1})");
            Context.Console.MarkupLine($"{Markup.Escape(item.Input.Path)}: {answer}  top 3: {top}");
        }

        /// <summary>Accuracy and the confusion matrix of a labelled folder; abstentions count with their best guess and are reported too.</summary>
        private void WriteScore(Prepared[] readable, IReadOnlyList<Prediction> predictions)
        {
            int[] labeled = [.. Enumerable.Range(0, readable.Length).Where(i => readable[i].Input.Label is not null)];
            HandwritingScore score = HandwritingScore.From([.. labeled.Select(i => predictions[i])], [.. labeled.Select(i => readable[i].Input.Label!.Value)], null);
            if (Json)
            {
                JsonOutput.WriteLine(Context.Console, new { summary = JsonOutput.Score(score) });
                return;
            }
            Tables.WriteScore(Context.Console, score, "labelled images");
        }

        /// <summary>Writes the 28x28 image the model saw, enlarged, to <see cref="ShowPath"/>, atomically.</summary>
        private void Show(Prepared item)
        {
            const int Size = MnistGeometry.Size * ShowScale;
            using SKBitmap seen = new GreyImage(MnistGeometry.Size, MnistGeometry.Size, item.Digit!.Pixels).ToBitmap();
            // Nearest-neighbour, so each pixel the model saw is a clean square.
            using SKBitmap bitmap = seen.Resize(new SKImageInfo(Size, Size, SKColorType.Gray8, SKAlphaType.Opaque), new SKSamplingOptions(SKFilterMode.Nearest));
            AtomicFile.Write(ShowPath!, stream => bitmap.Encode(stream, SKEncodedImageFormat.Png, 100));
            if (!Json)
            {
                Context.Console.MarkupLine($"Wrote the 28x28 image the model saw to {Markup.Escape(ShowPath!)}.");
            }
        }
    }
}
