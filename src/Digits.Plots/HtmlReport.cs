using System.Globalization;
using System.Text;
using Digits.Core.Evaluation;
using Digits.Core.Models;
using Digits.Core.Persistence;
using SkiaSharp;
using static System.Net.WebUtility;

namespace Digits.Plots;

/// <summary>
/// One self-contained HTML page about a trained model, the kind of thing to attach to a pull request: the
/// layers and recipe, the curves, the confusion heatmap, the worst mistakes, per-class figures, calibration and
/// timing. Pictures are inlined as PNG data; there are no external links, scripts or fonts.
/// </summary>
public static class HtmlReport
{
    /// <summary>The ids of the page's sections, in order.</summary>
    public static IReadOnlyList<string> Sections { get; } = ["summary", "recipe", "curves", "confusion", "mistakes", "per-class", "calibration", "timing"];

    private const int ChartWidth = 1000;
    private const int ChartHeight = 560;
    private const int Mistakes = 24;

    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    /// <summary>Builds the page.</summary>
    /// <param name="saved">The model file.</param>
    /// <param name="summary">Its layers.</param>
    /// <param name="figures">Its answers on the test set.</param>
    /// <param name="latencyMilliseconds">Median time to answer one 28x28 image on one thread.</param>
    public static string Build(SavedModel saved, ModelSummary summary, TestSetFigures figures, double latencyMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(figures);
        ModelManifest manifest = saved.Manifest;
        var html = new StringBuilder();
        html.Append(s_invariant, $$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>{{HtmlEncode(manifest.Model)}}: Digits report</title>
            <style>
            body { font-family: system-ui, sans-serif; max-width: 1040px; margin: 2em auto; padding: 0 1em; color: #222; }
            table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
            th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
            th:first-child, td:first-child { text-align: left; }
            img { max-width: 100%; height: auto; }
            </style></head><body>
            <h1>{{HtmlEncode(manifest.Model)}}</h1>
            <p>{{HtmlEncode(manifest.Description)}} Accuracy <strong>{{figures.Confusion.Accuracy:P2}}</strong>, loss {{figures.Loss:F4}}, on {{figures.Confusion.Total:N0}} {{HtmlEncode(figures.What)}}. Written {{manifest.CreatedAt:yyyy-MM-dd HH:mm}} UTC.</p>
            """);

        Section(html, "summary", "Layers", Table(
            ["Layer", "Kind", "Output shape", "Parameters"],
            summary.Rows.Select(r => new[] { r.Name, r.Kind, ModelSummary.FormatShape(r.OutputShape), (r.TrainableParameters + r.NonTrainableParameters).ToString("N0", s_invariant) })) +
            Paragraph(string.Create(s_invariant, $"Total {summary.TotalParameters:N0} parameters: {summary.TrainableParameters:N0} trainable, {summary.NonTrainableParameters:N0} not.")));

        TrainingRecipe recipe = manifest.Recipe;
        TrainingRecord? training = manifest.Training;
        Section(html, "recipe", "Training recipe", Table(["Setting", "Value"],
        [
            ["optimizer", recipe.Optimizer],
            ["learning rate", recipe.LearningRate.ToString("G4", s_invariant)],
            ["schedule", recipe.Schedule],
            ["batch size", recipe.BatchSize.ToString(s_invariant)],
            ["epochs", recipe.Epochs.ToString(s_invariant)],
            ["momentum", recipe.Momentum.ToString("G4", s_invariant)],
            ["weight decay", recipe.WeightDecay.ToString("G4", s_invariant)],
            ["augmentation", recipe.Augment],
            ["seed", training?.Seed.ToString(s_invariant) ?? "-"],
            ["validation split", training?.ValidationSplit.ToString("P0", s_invariant) ?? "-"],
            ["best epoch", training?.BestEpoch is int best ? $"{best} by {training.Monitor}" : "-"],
        ]));

        IReadOnlyList<Core.Models.EpochMetrics> history = training?.History ?? [];
        Section(html, "curves", "Training curves", history.Count == 0
            ? Paragraph("The file holds no finished epoch.")
            : Image(canvas => FigureFile.Render(canvas, ChartWidth, ChartHeight, HistoryChart.Create(history, manifest.Model)), "loss and accuracy per epoch"));
        Section(html, "confusion", "Confusion matrix", Image(canvas => ConfusionChart.Create(figures.Confusion, manifest.Model, figures.Classes).Render(canvas, ChartWidth, ChartHeight), "confusion matrix"));
        IReadOnlyList<SampleGrid.Cell> mistakes = figures.Mistakes(Mistakes);
        Section(html, "mistakes", "Worst mistakes", mistakes.Count == 0
            ? Paragraph($"No mistakes on the {figures.What}.")
            : Paragraph("The most confident mistakes first.") + Image(canvas => SampleGrid.Draw(canvas, ChartWidth, ChartHeight, mistakes), "most confident mistakes"));
        Section(html, "per-class", "Per class", Table(["Class", "Precision", "Recall", "F1", "Support"],
            figures.Confusion.PerClass().Select(c => new[]
            {
                figures.Classes?[c.Class] ?? c.Class.ToString(s_invariant), c.Precision.ToString("P2", s_invariant), c.Recall.ToString("P2", s_invariant),
                c.F1.ToString("P2", s_invariant), c.Support.ToString("N0", s_invariant),
            })));
        string threshold = manifest.Calibration is { } calibration
            ? $"Temperature {calibration.Temperature:F3} fitted on the validation split; \"not sure\" below {calibration.Threshold:P0} confidence."
            : "This model was saved without calibration.";
        Section(html, "calibration", "Calibration", Paragraph(threshold) +
            Image(canvas => CalibrationChart.Create(figures.Before, figures.After, figures.Temperature, manifest.Model).Render(canvas, ChartWidth, ChartHeight), "reliability diagram"));
        Section(html, "timing", "Timing", Table(["Measure", "Value"],
        [
            ["epochs trained", history.Count.ToString(s_invariant)],
            ["seconds per epoch (mean)", history.Count == 0 ? "-" : history.Average(h => h.Seconds).ToString("F1", s_invariant)],
            ["training images per second (mean)", history.Count == 0 ? "-" : history.Average(h => h.ImagesPerSecond).ToString("N0", s_invariant)],
            ["training time", TimeSpan.FromSeconds(history.Sum(h => h.Seconds)).ToString(@"h\:mm\:ss", s_invariant)],
            ["one image, one thread (median)", $"{latencyMilliseconds.ToString("F2", s_invariant)} ms"],
            ["file size", $"{new FileInfo(saved.Path).Length / 1e6:F1} MB"],
        ]));
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static void Section(StringBuilder html, string id, string title, string body) =>
        html.Append(s_invariant, $"<section id=\"{id}\"><h2>{HtmlEncode(title)}</h2>\n{body}</section>\n");

    private static string Paragraph(string text) => $"<p>{HtmlEncode(text)}</p>\n";

    private static string Table(string[] header, IEnumerable<string[]> rows)
    {
        var table = new StringBuilder("<table><thead><tr>");
        foreach (string cell in header)
        {
            table.Append("<th>").Append(HtmlEncode(cell)).Append("</th>");
        }
        table.Append("</tr></thead><tbody>\n");
        foreach (string[] row in rows)
        {
            table.Append("<tr>");
            foreach (string cell in row)
            {
                table.Append("<td>").Append(HtmlEncode(cell)).Append("</td>");
            }
            table.Append("</tr>\n");
        }
        return table.Append("</tbody></table>\n").ToString();
    }

    /// <summary>A PNG drawn by <paramref name="draw"/>, inlined as a data URL.</summary>
    private static string Image(Action<SKCanvas> draw, string description)
    {
        byte[] png = FigureFile.Png(ChartWidth, ChartHeight, draw);
        return $"<img alt=\"{HtmlEncode(description)}\" width=\"{ChartWidth}\" height=\"{ChartHeight}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\">\n";
    }
}
