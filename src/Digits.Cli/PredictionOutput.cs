using System.Globalization;
using Digits.Core;
using Digits.Core.Data;
using Digits.Core.Evaluation;
using Digits.Core.Inference;
using Digits.Core.Persistence;
using Digits.Core.Preprocessing;
using SkiaSharp;
using Spectre.Console;

namespace Digits.Cli;

/// <summary>How <c>digits predict</c> shows its answers: a line per picture (a JSON object with --json), a score for labelled folders.</summary>
internal sealed class PredictionOutput(CliContext context, bool json, IReadOnlyList<string> classes, bool digits)
{
    /// <summary>Each pixel of the 28x28 image is drawn as a square this many pixels wide by --show.</summary>
    private const int ShowScale = 10;

    /// <summary>One error line per problem, on stderr.</summary>
    public void Problems(IEnumerable<string> problems)
    {
        foreach (string problem in problems)
        {
            context.Error.WriteLine($"error: {problem}");
        }
    }

    /// <summary>One picture's answer; a labelled picture's only in JSON (the score sums them up).</summary>
    public void One(PictureInput input, Prediction prediction)
    {
        if (json)
        {
            JsonOutput.WriteLine(context.Console, new
            {
                file = input.Path,
                label = input.Label is int label ? classes[label] : null,
                @class = prediction.Label,
                digit = digits ? prediction.Digit : (int?)null,
                confidence = prediction.Confidence,
                notSure = prediction.NotSure,
                noDigit = prediction.NoDigit,
                reason = prediction.Reason,
                // Digits as ten numbers, digit 0 first; named classes by name.
                probabilities = digits ? prediction.Probabilities : (object)Enumerable.Range(0, classes.Count).ToDictionary(c => classes[c], c => prediction.Probabilities[c]),
            });
            return;
        }
        if (input.Label is not null)
        {
            return;
        }
        if (prediction.NoDigit)
        {
            // Nothing to guess at: no best guess and no top three, which would be the model's output on nothing.
            context.Console.MarkupLine($"{Markup.Escape(input.Path)}: [yellow]?[/] {Markup.Escape(prediction.Reason ?? "")}");
            return;
        }
        string top = string.Join(", ", prediction.Top(3).Select(t => string.Create(CultureInfo.InvariantCulture, $"{classes[t.Digit]} {t.Probability:P1}")));
        string answer = prediction.NotSure
            ? string.Create(CultureInfo.InvariantCulture, $"[yellow]not sure[/] (best guess {Markup.Escape(prediction.Label)}, {prediction.Confidence:P1}): {Markup.Escape(prediction.Reason ?? "")}")
            : string.Create(CultureInfo.InvariantCulture, $"[bold green]{Markup.Escape(prediction.Label)}[/] ({prediction.Confidence:P1})");
        context.Console.MarkupLine($"{Markup.Escape(input.Path)}: {answer}  top {Math.Min(3, classes.Count)}: {Markup.Escape(top)}");
    }

    /// <summary>Accuracy and the confusion matrix of labelled pictures; abstentions count with their best guess and are reported too.</summary>
    public void Score(HandwritingScore score)
    {
        if (json)
        {
            JsonOutput.WriteLine(context.Console, new { summary = JsonOutput.Score(score) });
            return;
        }
        Tables.WriteScore(context.Console, score, "labelled images", digits ? null : classes);
    }

    /// <summary>How many pictures were answered, and how fast.</summary>
    public void Speed(int answered, int given, TimeSpan elapsed)
    {
        if (!json)
        {
            context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"{answered:N0} of {given:N0} images predicted in {elapsed.TotalSeconds:F2} s ({answered / elapsed.TotalSeconds:N0} images/s)."));
        }
    }

    /// <summary>Writes the 28x28 image the model saw, enlarged, to <paramref name="path"/>, atomically.</summary>
    public void Show(PreparedPicture seen, string path)
    {
        const int Size = MnistGeometry.Size * ShowScale;
        using SKBitmap small = new GreyImage(MnistGeometry.Size, MnistGeometry.Size, seen.Pixels).ToBitmap();
        // Nearest-neighbour, so each pixel the model saw is a clean square.
        using SKBitmap bitmap = small.Resize(new SKImageInfo(Size, Size, SKColorType.Gray8, SKAlphaType.Opaque), new SKSamplingOptions(SKFilterMode.Nearest));
        AtomicFile.Write(path, stream => bitmap.Encode(stream, SKEncodedImageFormat.Png, 100));
        if (!json)
        {
            context.Console.MarkupLine($"Wrote the 28x28 image the model saw to {Markup.Escape(path)}.");
        }
    }
}
