using System.CommandLine;
using System.Globalization;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Digits.Core.Training;
using Digits.Plots;
using Spectre.Console;

namespace Digits.Cli.Commands;

/// <summary><c>digits compare A.digits B.digits ...</c>: a table of the models side by side, and optionally their curves overlaid.</summary>
public static class CompareCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var models = new Argument<string[]>("models") { Description = "Two or more .digits model files.", Arity = new ArgumentArity(2, 20) };
        var curves = new Option<string?>("--curves") { HelpName = "FILE", Description = "Also write their accuracy curves overlaid to this .png or .svg." };
        var threads = SharedOptions.Threads();
        var json = SharedOptions.Json();
        var force = SharedOptions.Force("an existing --curves picture");
        var command = new Command("compare", "Compare models: parameters, test accuracy, seconds per epoch, one-image latency, file size.")
        {
            models, curves, threads, json, force,
        };
        command.SetAction(parse =>
        {
            string? curvesPath = parse.GetValue(curves);
            if (curvesPath is not null)
            {
                OutputFile.EnsureWritable(curvesPath, parse.GetValue(force), "--curves");
            }
            Runtime.Configure(parse.GetValue(threads));
            SavedModel[] saved = [.. parse.GetValue(models)!.Select(ModelFile.Load)];
            Row[] rows = [.. saved.Select(Measure)];
            if (curvesPath is not null)
            {
                IReadOnlyList<EpochMetrics>[] histories = [.. saved.Select(s => s.Manifest.Training?.History ?? [])];
                FigureFile.Write(curvesPath, FigureFile.DefaultWidth, FigureFile.DefaultHeight, ComparisonChart.Create([.. rows.Select(r => r.Name)], histories));
            }
            string? wrote = curvesPath is null ? null : $"Wrote the accuracy curves to {curvesPath}.";
            if (parse.GetValue(json))
            {
                JsonOutput.Write(context.Console, rows);
                // On stderr, so that the console carries JSON only.
                if (wrote is not null)
                {
                    context.Error.WriteLine(wrote);
                }
                return 0;
            }
            var table = new Table().AddColumns("Model", "File", "Parameters", "Test accuracy", "s/epoch", "1 image (ms)", "File (MB)");
            foreach (Row row in rows)
            {
                table.AddRow(
                    Markup.Escape(row.Name), Markup.Escape(row.File), row.Parameters.ToString("N0", CultureInfo.InvariantCulture),
                    row.TestAccuracy is double accuracy ? Tables.Percent(accuracy) : "-",
                    row.SecondsPerEpoch?.ToString("F1", CultureInfo.InvariantCulture) ?? "-",
                    row.LatencyMilliseconds.ToString("F2", CultureInfo.InvariantCulture),
                    (row.Bytes / 1e6).ToString("F1", CultureInfo.InvariantCulture));
            }
            Tables.WriteFitting(context.Console, table);
            if (wrote is not null)
            {
                context.Console.MarkupLine(Markup.Escape(wrote));
            }
            return 0;
        });
        return command;
    }

    /// <summary>One model's line in the comparison.</summary>
    private sealed record Row(string Name, string File, long Parameters, double? TestAccuracy, double? SecondsPerEpoch, double LatencyMilliseconds, long Bytes);

    private static Row Measure(SavedModel saved)
    {
        IReadOnlyList<EpochMetrics> history = saved.Manifest.Training?.History ?? [];
        return new Row(
            saved.Manifest.Model,
            saved.Path,
            ModelSummary.Of(saved.Definition).TotalParameters,
            // A model trained on an image folder has no test set; its validation accuracy stands in.
            saved.Manifest.Metrics.TryGetValue(ModelManifest.TestAccuracy, out double accuracy) || saved.Manifest.Metrics.TryGetValue(ModelManifest.ValidationAccuracy, out accuracy) ? accuracy : null,
            history.Count == 0 ? null : history.Average(h => h.Seconds),
            Latency.MedianMilliseconds(saved),
            new FileInfo(saved.Path).Length);
    }
}
