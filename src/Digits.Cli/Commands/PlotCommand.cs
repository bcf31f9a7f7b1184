using System.CommandLine;
using Digits.Core;
using Digits.Core.Data;
using Digits.Core.Evaluation;
using Digits.Core.Inference;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Digits.Core.Preprocessing;
using Digits.Core.Training;
using Digits.Plots;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

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
            Sub(context, "filters", "The first convolution's kernels.", Filters),
            Sub(context, "activations", "Each convolution's feature maps (after its normalisation and activation) for one picture.", Activations, takesImage: true),
            Sub(context, "confusion", "The confusion matrix on the test set as a heatmap with counts, rows = actual.", (saved, options) =>
            {
                TestSetFigures figures = options.Figures(saved);
                FigureFile.Write(options.Output, options.Width, options.Height, ConfusionChart.Create(figures.Confusion, saved.Manifest.Model, figures.Classes));
            }),
            AugmentSub(context),
        };
    }

    /// <summary>Variants drawn by <c>plot augment</c>: a 4x4 grid.</summary>
    private const int AugmentVariants = 16;

    /// <summary>The output file and its size, which every plot takes.</summary>
    private static (Option<string> Output, Option<int> Width, Option<int> Height) FigureOptions() => (
        new Option<string>("--output", "-o") { Description = "The picture to write: .png or .svg.", Required = true },
        new Option<int>("--width") { Description = $"Pixels. Defaults to {FigureFile.DefaultWidth}.", DefaultValueFactory = _ => FigureFile.DefaultWidth },
        new Option<int>("--height") { Description = $"Pixels. Defaults to {FigureFile.DefaultHeight}.", DefaultValueFactory = _ => FigureFile.DefaultHeight });

    /// <summary><c>plot augment IMAGE</c>: what training's augmentation makes of one picture, 16 times.</summary>
    private static Command AugmentSub(CliContext context)
    {
        var image = new Argument<string>("image") { Description = "A picture of one digit, or any picture with --image-size." };
        (Option<string> output, Option<int> width, Option<int> height) = FigureOptions();
        var preset = SharedOptions.Augment("The augmentation to show", "digits");
        var imageSize = new Option<int?>("--image-size") { Description = "Read the picture as an image folder's are read for training (in colour, resized to this side) instead of as a digit. Defaults to reading a digit." };
        var crop = new Option<bool>("--crop") { Description = "With --image-size: crop the picture to its centred square first, as train --crop does. Defaults to squashing it." };
        var label = new Option<int?>("--label") { Description = "The picture's digit, so that styles for particular digits (a flag on 1s, a bar on 7s) apply. Defaults to none." };
        var seed = new Option<long>("--seed") { Description = "Seed of the random draws. Defaults to 1.", DefaultValueFactory = _ => 1 };
        var command = new Command("augment", $"{AugmentVariants} variants of one picture as training's augmentation draws them.") { image, output, width, height, preset, imageSize, crop, label, seed };
        command.SetAction(parse =>
        {
            Augmentation augmentation = Augmentation.Parse(parse.GetValue(preset) ?? "digits")
                ?? throw new ArgumentException("--augment none changes nothing; choose a preset or options to see what they do.");
            int? digit = parse.GetValue(label);
            if (digit is not (null or (>= 0 and <= 9)))
            {
                throw new ArgumentException($"--label must be a digit from 0 to 9; received {digit}.");
            }
            int? size = parse.GetValue(imageSize);
            if (size is null && parse.GetValue(crop))
            {
                throw new ArgumentException("--crop goes with --image-size: digits are always prepared as MNIST's were.");
            }
            (float[] pixels, int side, int channels) = size is null ? ReadDigit(parse.GetValue(image)!) : ReadPicture(parse.GetValue(image)!, size.Value, parse.GetValue(crop));
            torch.random.manual_seed(parse.GetValue(seed));
            using var scope = NewDisposeScope();
            Tensor images = tensor(pixels, [1, channels, side, side]).expand(AugmentVariants, -1, -1, -1).contiguous();
            Tensor? labels = digit is null ? null : tensor(Enumerable.Repeat((long)digit.Value, AugmentVariants).ToArray());
            Tensor variants = augmentation.Apply(images, labels);
            SampleGrid.Cell[] cells =
            [
                .. Enumerable.Range(0, AugmentVariants).Select(i =>
                    new SampleGrid.Cell(variants[i].contiguous().data<float>().ToArray(), side, side, $"#{i + 1}", Channels: channels)),
            ];
            string path = parse.GetValue(output)!;
            FigureFile.Write(path, parse.GetValue(width), parse.GetValue(height), canvas => SampleGrid.Draw(canvas, parse.GetValue(width), parse.GetValue(height), cells));
            context.Console.MarkupLine($"Wrote {Markup.Escape(path)}.");
            return 0;
        });
        return command;
    }

    /// <summary>A picture of a digit prepared as prediction prepares it: 28x28 grey, white on black.</summary>
    private static (float[] Pixels, int Side, int Channels) ReadDigit(string path) =>
        (ImagePreprocessor.Prepare(ImageDecoder.DecodeFile(path)).Pixels, MnistGeometry.Size, 1);

    /// <summary>A picture read as training on an image folder reads it: in colour, resized to <paramref name="size"/> square, cropped first or squashed.</summary>
    private static (float[] Pixels, int Side, int Channels) ReadPicture(string path, int size, bool crop)
    {
        if (size is < ImageFolder.MinImageSize or > ImageFolder.MaxImageSize)
        {
            throw new ArgumentException($"--image-size must be from {ImageFolder.MinImageSize} to {ImageFolder.MaxImageSize}; received {size}.");
        }
        (float[] values, _, IReadOnlyList<SkippedFile> skipped) = ImageFolder.ReadPictures([path], new PictureFormat(size, 3, crop));
        return skipped.Count == 0 ? (values, size, 3) : throw new InvalidDataException($"Cannot read {path}: {skipped[0].Reason}");
    }

    /// <summary>What every plot sub-command takes.</summary>
    private sealed record PlotOptions(string Output, int Width, int Height, int Count, bool Errors, string? DataDirectory, string? FolderDirectory, string? Image)
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
        (Option<string> output, Option<int> width, Option<int> height) = FigureOptions();
        var command = new Command(name, description) { model, output, width, height };
        if (takesImage)
        {
            command.Add(image);
        }
        Option<int>? count = null;
        Option<bool>? errors = null;
        Option<string?>? data = null;
        Option<string?>? dataDir = null;
        if (name is not ("history" or "filters" or "activations"))
        {
            data = SharedOptions.Data();
            dataDir = SharedOptions.DataDir();
            command.Add(data);
            command.Add(dataDir);
        }
        if (name == "samples")
        {
            count = new Option<int>("--count") { Description = "How many images. Defaults to 36.", DefaultValueFactory = _ => 36 };
            errors = new Option<bool>("--errors") { Description = "Only the mistakes, most confident first. Defaults to off." };
            command.Add(count);
            command.Add(errors);
        }
        command.SetAction(parse =>
        {
            var options = new PlotOptions(
                parse.GetValue(output)!, parse.GetValue(width), parse.GetValue(height),
                count is null ? 0 : parse.GetValue(count), errors is not null && parse.GetValue(errors),
                data is null ? null : parse.GetValue(data), dataDir is null ? null : parse.GetValue(dataDir), takesImage ? parse.GetValue(image) : null);
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

    /// <summary>Feature maps shown per convolution, so that wide layers stay readable.</summary>
    private const int MapsPerLayer = 16;

    private static void Reliability(SavedModel saved, PlotOptions options)
    {
        TestSetFigures figures = options.Figures(saved);
        FigureFile.Write(options.Output, options.Width, options.Height, CalibrationChart.Create(figures.Before, figures.After, figures.Temperature, saved.Manifest.Model));
    }

    private static void Filters(SavedModel saved, PlotOptions options)
    {
        using DigitsNetwork network = saved.CreateNetwork();
        LayerInfo first = network.Layers.FirstOrDefault(l => l.Source is Conv2dLayer && !l.InlineActivation)
            ?? throw new ArgumentException($"'{saved.Path}' has no convolution, so it has no kernels to show.");
        using var scope = NewDisposeScope();
        // [filters, channels, k, k]; the first channel of each filter (MNIST has one).
        Tensor weight = network.state_dict()[$"{DigitsNetwork.LayersPrefix}{first.Name}.weight"].select(1, 0);
        SampleGrid.Cell[] cells = [.. Enumerable.Range(0, (int)weight.shape[0]).Select(f => Grey(weight[f], $"#{f + 1}"))];
        FigureFile.Write(options.Output, options.Width, options.Height, canvas => SampleGrid.Draw(canvas, options.Width, options.Height, cells));
    }

    private static void Activations(SavedModel saved, PlotOptions options)
    {
        PreparedPicture picture;
        using (Predictor predictor = Predictor.From(saved))
        {
            // Read as the model reads pictures: a digit prepared as MNIST was, or a folder picture resized.
            picture = predictor.ReadFile(options.Image!);
        }
        if (!picture.IsReadable)
        {
            throw new ArgumentException($"'{options.Image}': {picture.Detail}");
        }
        using DigitsNetwork network = saved.CreateNetwork();
        using var scope = NewDisposeScope();
        var cells = new List<SampleGrid.Cell>();
        foreach ((string layer, Tensor maps) in network.FeatureMaps(tensor(picture.Pixels, [1, .. saved.Manifest.Network.Input.Select(d => (long)d)])))
        {
            for (int m = 0; m < Math.Min(MapsPerLayer, maps.shape[1]); m++)
            {
                cells.Add(Grey(maps[0, m], $"{layer} #{m + 1}"));
            }
        }
        if (cells.Count == 0)
        {
            throw new ArgumentException($"'{saved.Path}' has no convolution, so it has no feature maps to show.");
        }
        FigureFile.Write(options.Output, options.Width, options.Height, canvas => SampleGrid.Draw(canvas, options.Width, options.Height, cells));
    }

    /// <summary>A 2-D tensor as a grey cell, stretched from its minimum (black) to its maximum (white).</summary>
    private static SampleGrid.Cell Grey(Tensor map, string title)
    {
        Tensor low = map.min();
        Tensor range = map.max().sub(low).clamp_min(1e-8);
        float[] pixels = map.sub(low).div(range).contiguous().data<float>().ToArray();
        return new SampleGrid.Cell(pixels, (int)map.shape[1], (int)map.shape[0], title);
    }
}
