using System.CommandLine;
using Digits.Core.Data;
using Digits.Core.Persistence;
using Digits.Core.Preprocessing;
using Digits.Core.Training;
using Digits.Plots;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace Digits.Cli.Commands;

/// <summary><c>digits plot augment IMAGE -o FILE</c>: what training's augmentation makes of one picture.</summary>
public static class PlotAugmentCommand
{
    /// <summary>Variants drawn by <c>plot augment</c>: with the original, a 4x4 grid.</summary>
    private const int AugmentVariants = 15;

    /// <summary><c>plot augment IMAGE</c>: the picture and what training's augmentation makes of it, 15 times.</summary>
    public static Command Create(CliContext context)
    {
        var image = new Argument<string>("image") { Description = "A picture of one digit, or any picture with --image-size." };
        (Option<string> output, Option<int> width, Option<int> height, Option<bool> force) = PlotCommand.FigureOptions();
        var preset = SharedOptions.Augment("The augmentation to show", "digits");
        var imageSize = new Option<int?>("--image-size") { Description = "Read the picture as an image folder's are read for training (in colour, resized to this side) instead of as a digit. Defaults to reading a digit." };
        var crop = new Option<bool>("--crop") { Description = "With --image-size: crop the picture to its centred square first, as train --crop does. Defaults to squashing it." };
        var label = new Option<int?>("--label") { Description = "The picture's digit, so that styles for particular digits (flags and foot bars on 1s, bars on 7s, slashes and dots in 0s) apply. Defaults to none." };
        var seed = new Option<long>("--seed") { Description = "Seed of the random draws.", DefaultValueFactory = _ => 1 };
        var command = new Command("augment", $"One picture beside {AugmentVariants} variants of it, as training's augmentation draws them.") { image, output, width, height, force, preset, imageSize, crop, label, seed };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(output)!;
            OutputFile.EnsureWritable(path, parse.GetValue(force), "--output");
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
                new SampleGrid.Cell(pixels, side, side, "original", Channels: channels),
                .. Enumerable.Range(0, AugmentVariants).Select(i =>
                    new SampleGrid.Cell(variants[i].contiguous().data<float>().ToArray(), side, side, $"#{i + 1}", Channels: channels)),
            ];
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
}
