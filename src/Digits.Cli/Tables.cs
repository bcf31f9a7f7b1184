using System.Globalization;
using Digits.Core.Evaluation;
using Digits.Core.Models;
using Digits.Core.Training;
using Spectre.Console;

namespace Digits.Cli;

/// <summary>Spectre tables for the library's results.</summary>
public static class Tables
{
    private static readonly CultureInfo s_invariant = CultureInfo.InvariantCulture;

    /// <summary>Keras-style model summary: layer, output shape, parameters; then the totals.</summary>
    public static void WriteSummary(IAnsiConsole console, ModelSummary summary)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(summary);
        var table = new Table().Title($"Model: {summary.Model}").AddColumn("Layer (type)").AddColumn("Output shape").AddColumn(new TableColumn("Param #").RightAligned());
        table.AddRow("input", Markup.Escape(ModelSummary.FormatShape(summary.Input.Select(i => (long)i))), "0");
        foreach (LayerInfo row in summary.Rows)
        {
            table.AddRow(
                Markup.Escape($"{row.Name} ({row.Kind})"),
                Markup.Escape(ModelSummary.FormatShape(row.OutputShape)),
                (row.TrainableParameters + row.NonTrainableParameters).ToString("N0", s_invariant));
        }
        if (summary.Output == NetworkSpec.Sigmoid)
        {
            // Applied by the loss and by prediction, not by a layer, as softmax is for the other networks.
            table.AddRow("output (sigmoid)", Markup.Escape(ModelSummary.FormatShape([1])), "0");
        }
        console.Write(table);
        console.WriteLine($"Total params: {summary.TotalParameters.ToString("N0", s_invariant)}");
        console.WriteLine($"Trainable params: {summary.TrainableParameters.ToString("N0", s_invariant)}");
        console.WriteLine($"Non-trainable params: {summary.NonTrainableParameters.ToString("N0", s_invariant)}");
    }

    /// <summary>One row per epoch.</summary>
    public static void WriteHistory(IAnsiConsole console, IEnumerable<EpochMetrics> history)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(history);
        var table = new Table().Title("Training history");
        foreach (string column in new[] { "epoch", "loss", "accuracy", "val_loss", "val_accuracy", "lr", "seconds", "images/s" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }
        foreach (EpochMetrics m in history)
        {
            table.AddRow(
                m.Epoch.ToString(s_invariant), m.Loss.ToString("F4", s_invariant), Percent(m.Accuracy),
                m.ValLoss?.ToString("F4", s_invariant) ?? "-", m.ValAccuracy is null ? "-" : Percent(m.ValAccuracy.Value),
                m.LearningRate.ToString("G4", s_invariant), m.Seconds.ToString("F1", s_invariant), m.ImagesPerSecond.ToString("N0", s_invariant));
        }
        WriteFitting(console, table);
    }

    /// <summary>
    /// Writes <paramref name="table"/>; one wider than the console loses its box first, columns parted by two spaces,
    /// so that a narrow terminal or a pipe (80 columns) does not cut its headers ("val_accu…") or its figures.
    /// </summary>
    public static void WriteFitting(IAnsiConsole console, Table table)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(table);
        int wanted = ((Spectre.Console.Rendering.IRenderable)table).Measure(Spectre.Console.Rendering.RenderOptions.Create(console), int.MaxValue).Max;
        if (wanted > console.Profile.Width)
        {
            table.Border(TableBorder.None).ShowHeaders();
            foreach (TableColumn column in table.Columns)
            {
                column.Padding(new Padding(0, 0, 2, 0));
            }
        }
        console.Write(table);
    }

    /// <summary>Precision, recall, F1 and support per class.</summary>
    public static void WritePerClass(IAnsiConsole console, IReadOnlyList<ClassMetrics> perClass, IReadOnlyList<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(perClass);
        var table = new Table().Title("Per class");
        foreach (string column in new[] { "class", "precision", "recall", "f1", "support" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }
        foreach (ClassMetrics c in perClass)
        {
            table.AddRow(Markup.Escape(names?[c.Class] ?? c.Class.ToString(s_invariant)), Percent(c.Precision), Percent(c.Recall), Percent(c.F1), c.Support.ToString(s_invariant));
        }
        console.Write(table);
    }

    /// <summary>The confusion matrix, rows = actual, columns = predicted; the diagonal in green.</summary>
    public static void WriteConfusion(IAnsiConsole console, ConfusionMatrix confusion, IReadOnlyList<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(confusion);
        var table = new Table().Title("Confusion matrix (rows: actual, columns: predicted)").AddColumn("");
        for (int c = 0; c < confusion.Classes; c++)
        {
            table.AddColumn(new TableColumn(Markup.Escape(names?[c] ?? c.ToString(s_invariant))).RightAligned());
        }
        for (int r = 0; r < confusion.Classes; r++)
        {
            var cells = new List<string> { Markup.Escape(names?[r] ?? r.ToString(s_invariant)) };
            for (int c = 0; c < confusion.Classes; c++)
            {
                long count = confusion[r, c];
                string text = count.ToString(s_invariant);
                cells.Add(r == c ? $"[green]{text}[/]" : count == 0 ? $"[grey]{text}[/]" : $"[red]{text}[/]");
            }
            table.AddRow(cells.ToArray());
        }
        console.Write(table);
    }

    /// <summary>Writes the accuracy of pictures read through the whole product path, abstentions, per-group figures and the confusion matrix.</summary>
    public static void WriteScore(IAnsiConsole console, HandwritingScore score, string what, IReadOnlyList<string>? names = null)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(score);
        console.MarkupLine(
            $"Accuracy [bold green]{Percent(score.Accuracy)}[/] on {score.Confusion.Total.ToString("N0", s_invariant)} {Markup.Escape(what)}; " +
            $"{score.NotSure.ToString("N0", s_invariant)} answered \"not sure\"; accuracy of the rest {Percent(score.AnsweredAccuracy)}.");
        if (score.ByGroup.Count > 0)
        {
            var table = new Table().AddColumns("Writer", "Digits", "Accuracy");
            foreach (GroupAccuracy group in score.ByGroup)
            {
                table.AddRow(Markup.Escape(group.Group), group.Count.ToString("N0", s_invariant), Percent(group.Accuracy));
            }
            console.Write(table);
        }
        IReadOnlyList<ConfusionPair> costliest = score.Confusion.CostliestPairs(CostliestShown);
        if (costliest.Count > 0)
        {
            string Name(int c) => Markup.Escape(names?[c] ?? c.ToString(s_invariant));
            console.MarkupLine("Costliest mistakes: " + string.Join(", ", costliest.Select(p =>
                $"{Name(p.Actual)} read as {Name(p.Predicted)} {p.Count.ToString("N0", s_invariant)} times")) + ".");
        }
        WriteConfusion(console, score.Confusion, names);
    }

    /// <summary>The coverage curve: for each confidence threshold, the share answered and the accuracy of those answers.</summary>
    public static void WriteCoverage(IAnsiConsole console, HandwritingScore score)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(score);
        var table = new Table().AddColumns("Answer at confidence", "Answered", "Right of those");
        foreach (CoveragePoint point in score.Coverage)
        {
            table.AddRow(point.Threshold == 0 ? "any" : "≥ " + Percent(point.Threshold), Percent(point.Answered), Percent(point.Accuracy));
        }
        console.Write(table);
    }

    /// <summary>How many confusion pairs the score's line of costliest mistakes names.</summary>
    public const int CostliestShown = 5;

    /// <summary>A share in [0, 1] as a percentage with two decimals.</summary>
    public static string Percent(double share) => (share * 100).ToString("F2", s_invariant) + "%";
}
