using Digits.Core.Data;
using Digits.Core.Inference;
using Digits.Core.Models;
using Digits.Core.Persistence;

namespace Digits.Cli;

/// <summary>
/// The labelled pictures a model is measured on (evaluate, report, plot): MNIST's test set for a digit model; for a
/// model trained on an image folder, the folder given with --data-dir, read as the model reads pictures, its classes
/// checked against the model's.
/// </summary>
/// <param name="Data">The images and labels.</param>
/// <param name="Classes">The class names of a folder model, or null for digits.</param>
/// <param name="Skipped">The folder's files that could not be read.</param>
/// <param name="What">What the pictures are, for a person: "test images", "images of pets/".</param>
internal sealed record LabelledData(MnistDataset Data, IReadOnlyList<string>? Classes, IReadOnlyList<SkippedFile> Skipped, string What) : IDisposable
{
    /// <summary>Loads the pictures <paramref name="saved"/> is measured on.</summary>
    /// <param name="saved">The model.</param>
    /// <param name="mnist">The --data option: the MNIST folder, or null for the usual places.</param>
    /// <param name="folder">The --data-dir option: an image folder of the model's classes, or null.</param>
    /// <param name="limit">The first N MNIST test images only, or null for all.</param>
    /// <exception cref="ArgumentException">A digit model given a folder, or a folder model given none.</exception>
    public static LabelledData Load(SavedModel saved, string? mnist, string? folder, int? limit = null)
    {
        NetworkSpec spec = saved.Manifest.Network;
        if (!PictureReader.IsFolderModel(spec))
        {
            return folder is null
                ? new LabelledData(MnistDataset.Load(MnistFiles.ResolveDirectory(mnist), MnistSplit.Test, limit), null, [], "test images")
                : throw new ArgumentException($"'{saved.Path}' reads MNIST digits; --data-dir is for models trained on an image folder.");
        }
        if (folder is null)
        {
            throw new ArgumentException(
                $"'{saved.Path}' was trained on an image folder (classes {string.Join(", ", spec.ClassNames!)}); pass --data-dir with a folder of the same classes.");
        }
        ImageFolder pictures = ImageFolder.Load(folder, PictureReader.FormatOf(spec), spec.ClassNames);
        return new LabelledData(pictures.Data, pictures.Classes, pictures.Skipped, "images of " + folder);
    }

    /// <inheritdoc />
    public void Dispose() => Data.Dispose();
}
