using System.CommandLine;
using System.Text;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Digits.Plots;
using Spectre.Console;

namespace Digits.Cli.Commands;

/// <summary><c>digits report MODEL -o report.html</c>: one self-contained HTML page about a trained model.</summary>
public static class ReportCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var model = new Argument<string>("model") { Description = "A .digits model file." };
        var output = new Option<string>("--output", "-o") { HelpName = "FILE", Description = "The HTML file to write.", Required = true };
        var data = SharedOptions.Data();
        var dataDir = SharedOptions.DataDir();
        var threads = SharedOptions.Threads();
        var force = SharedOptions.Force("an existing --output file");
        var command = new Command("report", "Write one self-contained HTML page: layers, recipe, curves, confusion, worst mistakes, per-class figures, calibration, timing.")
        {
            model, output, data, dataDir, threads, force,
        };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(output)!;
            OutputFile.EnsureWritable(path, parse.GetValue(force), "--output");
            Runtime.Configure(parse.GetValue(threads));
            SavedModel saved = ModelFile.Load(parse.GetValue(model)!);
            TestSetFigures figures;
            using (LabelledData labelled = LabelledData.Load(saved, parse.GetValue(data), parse.GetValue(dataDir)))
            {
                figures = new TestSetFigures(saved, labelled.Data, labelled.Classes) { What = labelled.What };
            }
            string html = HtmlReport.Build(saved, ModelSummary.Of(saved.Definition), figures, Latency.MedianMilliseconds(saved));
            AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(html)));
            context.Console.MarkupLine($"Wrote {Markup.Escape(path)}.");
            return 0;
        });
        return command;
    }
}
