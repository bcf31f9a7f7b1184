using System.CommandLine;
using Digits.Core.Persistence;
using Digits.Plots;
using Spectre.Console;

namespace Digits.Cli.Commands;

/// <summary>
/// <c>digits plot history|samples|confusion MODEL -o FILE</c>: the pictures people look at after training, as PNG
/// or SVG by the file's extension.
/// </summary>
public static class PlotCommand
{
    /// <summary>Creates the command and its sub-commands.</summary>
    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new Command("plot", "Draw training curves, test-image grids, the confusion matrix, calibration, kernels and feature maps.")
        {
            Sub(context, "history", "Loss and accuracy per epoch, training against validation, with the learning rate.", (saved, options) =>
                FigureFile.Write(options.Output, options.Width, options.Height, HistoryChart.Create(saved.Manifest.Training?.History ?? [], saved.Manifest.Model))),
            Sub(context, "samples", "A grid of test images titled \"Actual: 7 / Pred: 1\"; with --errors only the mistakes, most confident first.", Samples),
            Sub(context, "calibration", "The reliability diagram on the test set, before and after temperature scaling.", Reliability),
            Sub(context, "filters", "The first convolution's kernels.", NetworkPictures.Filters),
            Sub(context, "activations", "Each convolution's feature maps (after its normalisation and activation) for one picture.", NetworkPictures.Activations, takesImage: true),
            Sub(context, "confusion", "The confusion matrix on the test set as a heatmap with counts, rows = actual.", (saved, options) =>
            {
                TestSetFigures figures = options.Figures(saved);
                FigureFile.Write(options.Output, options.Width, options.Height, ConfusionChart.Create(figures.Confusion, saved.Manifest.Model, figures.Classes));
            }),
            PlotAugmentCommand.Create(context),
        };
    }

    /// <summary>The output file and its size, which every plot takes.</summary>
    internal static (Option<string> Output, Option<int> Width, Option<int> Height, Option<bool> Force) FigureOptions() => (
        new Option<string>("--output", "-o") { HelpName = "FILE", Description = "The picture to write: .png or .svg.", Required = true },
        new Option<int>("--width") { Description = "Pixels.", DefaultValueFactory = _ => FigureFile.DefaultWidth },
        new Option<int>("--height") { Description = "Pixels.", DefaultValueFactory = _ => FigureFile.DefaultHeight },
        SharedOptions.Force("an existing --output picture"));

    /// <summary>What every plot sub-command takes.</summary>
    internal sealed record PlotOptions(string Output, int Width, int Height, int Count, bool Errors, string? DataDirectory, string? FolderDirectory, string? Image)
    {
        public TestSetFigures Figures(SavedModel saved)
        {
            using LabelledData labelled = LabelledData.Load(saved, DataDirectory, FolderDirectory);
            return new TestSetFigures(saved, labelled.Data, labelled.Classes) { What = labelled.What };
        }
    }

    private static Command Sub(CliContext context, string name, string description, Action<SavedModel, PlotOptions> draw, bool takesImage = false)
    {
        var model = new Argument<string>("model") { Description = "A .digits model file." };
        var image = new Argument<string>("image") { Description = "A picture of one digit, or of one of a folder model's classes." };
        (Option<string> output, Option<int> width, Option<int> height, Option<bool> force) = FigureOptions();
        var command = new Command(name, description) { model, output, width, height, force };
        if (takesImage)
        {
            command.Add(image);
        }
        Option<int>? count = null;
        Option<bool>? errors = null;
        // Every plot takes them, so that one script can pass the same options to all; history, filters and activations read no data.
        Option<string?> data = SharedOptions.Data();
        Option<string?> dataDir = SharedOptions.DataDir();
        command.Add(data);
        command.Add(dataDir);
        if (name == "samples")
        {
            count = new Option<int>("--count") { Description = "How many images.", DefaultValueFactory = _ => 36 };
            errors = new Option<bool>("--errors") { Description = "Only the mistakes, most confident first. Defaults to off." };
            command.Add(count);
            command.Add(errors);
        }
        command.SetAction(parse =>
        {
            var options = new PlotOptions(
                parse.GetValue(output)!, parse.GetValue(width), parse.GetValue(height),
                count is null ? 0 : parse.GetValue(count), errors is not null && parse.GetValue(errors),
                parse.GetValue(data), parse.GetValue(dataDir), takesImage ? parse.GetValue(image) : null);
            OutputFile.EnsureWritable(options.Output, parse.GetValue(force), "--output");
            SavedModel saved = ModelFile.Load(parse.GetValue(model)!);
            draw(saved, options);
            context.Console.MarkupLine($"Wrote {Markup.Escape(options.Output)}.");
            return 0;
        });
        return command;
    }

    /// <summary>The first test images, or the mistakes by falling confidence, titled with label and prediction.</summary>
    private static void Samples(SavedModel saved, PlotOptions options)
    {
        if (options.Count is < 1 or > 400)
        {
            throw new ArgumentException($"--count must be 1 to 400; received {options.Count}.");
        }
        TestSetFigures figures = options.Figures(saved);
        IReadOnlyList<SampleGrid.Cell> cells = options.Errors ? figures.Mistakes(options.Count) : figures.Samples(options.Count);
        if (cells.Count == 0)
        {
            throw new ArgumentException($"'{saved.Path}' makes no mistake on the test set, so there is nothing to draw.");
        }
        FigureFile.Write(options.Output, options.Width, options.Height, canvas => SampleGrid.Draw(canvas, options.Width, options.Height, cells));
    }

    private static void Reliability(SavedModel saved, PlotOptions options)
    {
        TestSetFigures figures = options.Figures(saved);
        FigureFile.Write(options.Output, options.Width, options.Height, CalibrationChart.Create(figures.Before, figures.After, figures.Temperature, saved.Manifest.Model));
    }
}
