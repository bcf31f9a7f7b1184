using Digits.Core.Data;
using Digits.Core.Inference;
using Digits.Core.Models;
using Digits.Core.Persistence;

namespace Digits.Core.Training;

/// <summary>
/// Training on an image folder: the network takes the folder's picture size, channels and classes (a built-in network's
/// last dense layer resized to them); the best weights are scored on the validation pictures, there being no test set.
/// </summary>
public static class FolderTraining
{
    /// <summary>The side of folder pictures for a network made for MNIST's 28x28 digits, unless --image-size says otherwise.</summary>
    public const int DefaultImageSize = 64;

    /// <summary>The network a folder trains when none is named.</summary>
    public const string DefaultModel = "foldernet";

    /// <summary>One notice per file that could not be read, with why.</summary>
    public static void NoticeSkipped(IEnumerable<SkippedFile> skipped, Action<string> notice)
    {
        ArgumentNullException.ThrowIfNull(skipped);
        ArgumentNullException.ThrowIfNull(notice);
        foreach (SkippedFile file in skipped)
        {
            notice($"Skipped {file.Path}: {file.Reason}");
        }
    }

    /// <summary>Opens the folder run <paramref name="request"/> asks for; <paramref name="create"/> makes the job of its parts.</summary>
    internal static TrainingJob Open(
        TrainingRequest request, Action<string> notice, Func<TrainingSession, string, MnistDataset, MnistDataset, TrainingJob> create)
    {
        FolderRequest folder = request.Folder!;
        SavedModel? resumed = request.Resume is null ? null : ModelFile.Load(request.Resume);
        ModelDefinition? fresh = resumed is null ? ModelRegistry.Get(request.Model ?? DefaultModel) : null;
        NetworkSpec start = resumed?.Manifest.Network ?? fresh!.Network;
        // A new network made for MNIST's digits (or the folder network) takes the usual folder size; one made for pictures, or resumed, keeps its own.
        bool sized = resumed is null && (start.Input is [1, 28, 28] || fresh!.Name == DefaultModel);
        TrainingOptions options = request.Options.Copy();
        if (resumed is not null)
        {
            EnsureResumable(request.Resume!, resumed, folder);
        }
        else if (start.Input is [1, 28, 28])
        {
            // Digit networks' recipes augment digits; pictures start from none. Picture networks keep their recipe's.
            options.Augment ??= "none";
        }
        if (Augmentation.Parse(options.Augment ?? resumed?.Manifest.Recipe.Augment ?? fresh!.Recipe.Augment) is { WritingStyles: true })
        {
            throw new ArgumentException(
                "Writing styles (in --augment digits) are made for handwritten digits: they draw flags and foot bars on 1s, bars on 7s and slashes in 0s. " +
                "Use --augment photos, none, or options without styles with --data-dir.");
        }
        // A resumed run's options, when given, are its own (EnsureResumable refused others).
        int size = folder.ImageSize ?? (sized ? DefaultImageSize : start.Input[2]);
        int channels = folder.Channels ?? (sized ? 3 : start.Input[0]);
        bool crop = resumed is null ? folder.Crop : start.CropToSquare;
        var format = new PictureFormat(size, channels, crop);
        string trainFolder = Path.Combine(folder.Directory, "train");
        string validationFolder = Path.Combine(folder.Directory, "validation");
        bool separate = Directory.Exists(trainFolder) && Directory.Exists(validationFolder);
        // A resumed network must see its own classes, in its own order.
        ImageFolder all = ImageFolder.Load(separate ? trainFolder : folder.Directory, format, resumed is null ? null : start.ClassNames);
        ImageFolder? given = null;
        TrainingSession? session = null;
        try
        {
            given = separate ? ImageFolder.Load(validationFolder, format, all.Classes) : null;
            NoticeSkipped(all.Skipped.Concat(given?.Skipped ?? []), notice);
            string output = folder.OutputActivation ?? (all.Classes.Count == 2 ? start.Output : NetworkSpec.Softmax);
            if (output == NetworkSpec.Sigmoid && all.Classes.Count != 2)
            {
                throw new ArgumentException(
                    $"A sigmoid output tells two classes apart, and {folder.Directory} has {all.Classes.Count} ({string.Join(", ", all.Classes)}); use --output-activation softmax.");
            }
            session = resumed is not null
                ? TrainingJob.Resume(request.Resume!, request with { Options = options }, resumed)
                : TrainingSession.Start(Shape(fresh!, format, all.Classes, output), options, request.Device);
            string outputPath = request.OutputFor(session.Definition.Name);
            if (given is not null)
            {
                // The job owns the folders' tensors from here.
                return create(session, outputPath, all.Data, given.Data);
            }
            if (session.ValidationSplit <= 0)
            {
                throw new ArgumentException("An image folder without train/ and validation/ folders needs --val-split above 0 to score the model.");
            }
            // The folder's images are freed once split, so they are not held twice while training.
            (MnistDataset train, MnistDataset validation) = TrainingJob.SplitOff(all.Data, session);
            return create(session, outputPath, train, validation);
        }
        catch
        {
            session?.Dispose();
            all.Dispose();
            given?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// <paramref name="definition"/> made for the folder's pictures: their size and channels, its classes and output; the
    /// folder network built for that size, a built-in network's last dense layer resized to one unit per class (or one
    /// for a sigmoid). MNIST's mean and standard deviation mean nothing for these pictures.
    /// </summary>
    private static ModelDefinition Shape(ModelDefinition definition, PictureFormat format, IReadOnlyList<string> classes, string output)
    {
        int units = output == NetworkSpec.Sigmoid ? 1 : classes.Count;
        ModelDefinition sized = definition.Name == DefaultModel ? FolderNet.For(format.Size, format.Channels, units) : definition;
        return sized with
        {
            Network = sized.Network with
            {
                Input = [format.Channels, format.Size, format.Size],
                Classes = classes.Count,
                ClassNames = classes,
                Output = output,
                CropToSquare = format.Crop,
                Layers = sized.Network.Layers[^1] is DenseLayer last
                    ? [.. sized.Network.Layers.SkipLast(1), last with { Units = units }]
                    : sized.Network.Layers,
            },
            Normalization = null,
        };
    }

    /// <summary>Refuses to resume a digit model on a folder, or with options that would read its pictures otherwise.</summary>
    private static void EnsureResumable(string path, SavedModel resumed, FolderRequest folder)
    {
        NetworkSpec network = resumed.Manifest.Network;
        if (!PictureReader.IsFolderModel(network))
        {
            throw new ArgumentException($"'{path}' was trained on MNIST's digits; resume it without --data-dir.");
        }
        (string Option, bool Differs, string Kept)[] changes =
        [
            ("--image-size", folder.ImageSize is int size && size != network.Input[2], $"{network.Input[2]}"),
            ("--channels", folder.Channels is int channels && channels != network.Input[0], $"{network.Input[0]}"),
            ("--crop", folder.Crop && !network.CropToSquare, "not cropped"),
            ("--output-activation", folder.OutputActivation is string output && output != network.Output, network.Output),
        ];
        if (changes.FirstOrDefault(c => c.Differs) is { Differs: true } change)
        {
            throw new ArgumentException(
                $"'{path}' keeps its own {change.Option[2..]} ({change.Kept}); a resumed network reads pictures as it was trained to, so drop {change.Option}.");
        }
    }
}
