using System.Globalization;
using Digits.Core.Preprocessing;

namespace Digits.Core.Data;

/// <summary>
/// Pictures of handwritten digits in sub-folders named 0 to 9 (as <c>digits feedback export</c> writes users'
/// corrections), or pen-tablet strokes drawn on the page's canvas, each prepared as the product prepares any picture
/// (MNIST form, 28x28), for training beside MNIST.
/// </summary>
public static class DigitFolder
{
    /// <summary>Reads and prepares every picture under <paramref name="directory"/>/0 … /9, in parallel.</summary>
    /// <returns>The digits as an MNIST-shaped dataset, and the files skipped (unreadable, or not one digit) with why.</returns>
    /// <exception cref="DirectoryNotFoundException">No such folder.</exception>
    /// <exception cref="InvalidDataException">No sub-folder 0-9, or no picture that reads as a digit.</exception>
    public static (MnistDataset Digits, IReadOnlyList<SkippedFile> Skipped) Load(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Digit folder '{Path.GetFullPath(directory)}' not found.");
        }
        (string Path, int Label)[] files = [.. Enumerable.Range(0, 10)
            .Select(d => (Folder: Path.Combine(directory, d.ToString(CultureInfo.InvariantCulture)), Label: d))
            .Where(f => Directory.Exists(f.Folder))
            .SelectMany(f => PictureFiles.In(f.Folder).Select(p => (p, f.Label)))];
        if (files.Length == 0)
        {
            throw new InvalidDataException($"'{Path.GetFullPath(directory)}' holds no pictures in sub-folders named 0 to 9.");
        }
        var prepared = new PreparedPicture[files.Length];
        (int[] kept, IReadOnlyList<SkippedFile> skipped) = PictureFiles.ReadEach([.. files.Select(f => f.Path)], i =>
        {
            PreparedPicture digit = ImagePreprocessor.Prepare(ImageDecoder.DecodeFile(files[i].Path));
            prepared[i] = digit.IsReadable ? digit : throw new InvalidDataException(digit.Detail ?? "not one digit");
        });
        if (kept.Length == 0)
        {
            throw new InvalidDataException($"No picture in '{Path.GetFullPath(directory)}' reads as one digit.");
        }
        MnistDataset digits = ToDataset([.. kept.Select(i => prepared[i])], [.. kept.Select(i => files[i].Label)]);
        return (digits, skipped);
    }

    /// <summary>
    /// Pen-tablet digits drawn on the page's canvas and prepared (in parallel), for training beside MNIST; the ones that do
    /// not read as one digit are left out.
    /// </summary>
    /// <returns>The digits as an MNIST-shaped dataset, and how many were left out.</returns>
    /// <exception cref="InvalidDataException">None reads as a digit.</exception>
    public static (MnistDataset Digits, int LeftOut) FromStrokes(IReadOnlyList<PenDigit> strokes)
    {
        ArgumentNullException.ThrowIfNull(strokes);
        PreparedPicture[] prepared = PenDigit.PrepareAll(strokes);
        int[] kept = [.. Enumerable.Range(0, strokes.Count).Where(i => prepared[i].IsReadable)];
        if (kept.Length == 0)
        {
            throw new InvalidDataException("None of the pen digits reads as one digit.");
        }
        return (ToDataset([.. kept.Select(i => prepared[i])], [.. kept.Select(i => strokes[i].Label)]), strokes.Count - kept.Length);
    }

    private static MnistDataset ToDataset(PreparedPicture[] pictures, int[] labels)
    {
        const int Pixels = MnistGeometry.Size * MnistGeometry.Size;
        var bytes = new byte[pictures.Length * Pixels];
        for (int k = 0; k < pictures.Length; k++)
        {
            float[] pixels = pictures[k].Pixels;
            for (int p = 0; p < Pixels; p++)
            {
                bytes[(k * Pixels) + p] = GreyImage.ToByte(pixels[p]);
            }
        }
        return MnistDataset.FromBytes(bytes, [.. labels.Select(l => (byte)l)]);
    }
}
