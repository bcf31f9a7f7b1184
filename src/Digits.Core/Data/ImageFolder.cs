using SkiaSharp;
using static TorchSharp.torch;

namespace Digits.Core.Data;

/// <summary>
/// An image-classification dataset read from a folder with one sub-folder per class (the sub-folder's name is the
/// class's name, classes in ordinal order of their names), as Keras's <c>image_dataset_from_directory</c> reads it.
/// Pictures of any size, grey or colour, are decoded in parallel with SkiaSharp, resized to a square and held as one
/// tensor, so that no epoch decodes again. Files that cannot be read are skipped and listed, with why.
/// </summary>
public sealed class ImageFolder : IDisposable
{
    private ImageFolder(MnistDataset data, IReadOnlyList<string> classes, IReadOnlyList<SkippedFile> skipped)
    {
        Data = data;
        Classes = classes;
        Skipped = skipped;
    }

    /// <summary>The smallest side pictures may be resized to.</summary>
    public const int MinImageSize = 8;

    /// <summary>The largest side pictures may be resized to.</summary>
    public const int MaxImageSize = 1024;

    /// <summary>The images, <c>[N, channels, size, size]</c> float32 in [0, 1], and their labels, indices into <see cref="Classes"/>.</summary>
    public MnistDataset Data { get; }

    /// <summary>The class names: the sub-folders' names, in ordinal order.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>The files that could not be read, with the reason, in path order.</summary>
    public IReadOnlyList<SkippedFile> Skipped { get; }

    /// <summary>Reads <paramref name="directory"/>.</summary>
    /// <param name="directory">A folder with one sub-folder per class.</param>
    /// <param name="format">How pictures are read: their size, channels and cropping.</param>
    /// <param name="classes">The classes expected, in order (a validation folder must have the training folder's); null to take the sub-folders found.</param>
    /// <exception cref="DirectoryNotFoundException">No such folder.</exception>
    /// <exception cref="InvalidDataException">Fewer than two class folders, classes other than <paramref name="classes"/>, or no readable picture.</exception>
    public static ImageFolder Load(string directory, PictureFormat format, IReadOnlyList<string>? classes = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Check(format);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Image folder '{Path.GetFullPath(directory)}' not found.");
        }
        string[] found = [.. Directory.GetDirectories(directory).Select(Path.GetFileName).Where(n => !n!.StartsWith('.')).Order(StringComparer.Ordinal)!];
        if (found.Length < 2)
        {
            throw new InvalidDataException(
                $"'{Path.GetFullPath(directory)}' has {found.Length} class folder(s); an image folder needs one sub-folder per class, at least two.");
        }
        if (classes is not null && !found.SequenceEqual(classes, StringComparer.Ordinal))
        {
            throw new InvalidDataException(
                $"'{Path.GetFullPath(directory)}' has classes [{string.Join(", ", found)}] but [{string.Join(", ", classes)}] were expected.");
        }
        (string Path, int Label)[] files = [.. found.SelectMany((name, label) => PictureFiles.In(Path.Combine(directory, name)).Select(f => (f, label)))];

        (float[] values, int[] read, IReadOnlyList<SkippedFile> skipped) = ReadPictures([.. files.Select(f => f.Path)], format);
        if (read.Length == 0)
        {
            throw new InvalidDataException($"No picture in '{Path.GetFullPath(directory)}' could be read.");
        }
        long[] labels = [.. read.Select(i => (long)files[i].Label)];
        var data = new MnistDataset(tensor(values, [read.Length, format.Channels, format.Size, format.Size]), tensor(labels));
        return new ImageFolder(data, found, skipped);
    }

    /// <summary>
    /// Reads pictures as an image folder's are read (in training and in prediction), in parallel.
    /// </summary>
    /// <returns>
    /// The readable pictures one after another, each <c>[channels, size, size]</c> in [0, 1]; the indices in
    /// <paramref name="paths"/> they came from; and the files that could not be read, with why, in path order.
    /// </returns>
    public static (float[] Values, int[] Read, IReadOnlyList<SkippedFile> Skipped) ReadPictures(IReadOnlyList<string> paths, PictureFormat format)
    {
        ArgumentNullException.ThrowIfNull(paths);
        Check(format);
        int pixels = format.Channels * format.Size * format.Size;
        var values = new float[paths.Count * pixels];
        (int[] read, IReadOnlyList<SkippedFile> skipped) = PictureFiles.ReadEach(
            paths, i => ReadPicture(File.ReadAllBytes(paths[i]), format, values.AsSpan(i * pixels, pixels)));
        var kept = new float[read.Length * pixels];
        for (int k = 0; k < read.Length; k++)
        {
            Array.Copy(values, read[k] * pixels, kept, k * pixels, pixels);
        }
        return (kept, read, skipped);
    }

    private static void Check(PictureFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (format.Size is < MinImageSize or > MaxImageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(format), format.Size, $"The image size must be {MinImageSize} to {MaxImageSize} pixels.");
        }
        if (format.Channels is not (1 or 3))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format.Channels, "Channels must be 1 (grey) or 3 (colour).");
        }
    }

    /// <summary>
    /// Reads one picture into <paramref name="target"/>, <c>[channels, size, size]</c> in [0, 1], as an image folder's
    /// pictures are read in training and in prediction: turned upright by its EXIF orientation, then resized to the
    /// square: squashed, as Keras does by default, or cropped to its centred square first when the format says so.
    /// </summary>
    /// <exception cref="InvalidDataException">Not a picture, or damaged.</exception>
    /// <exception cref="Preprocessing.ImageTooLargeException">Over <paramref name="maxPixels"/>.</exception>
    public static void ReadPicture(ReadOnlySpan<byte> encoded, PictureFormat format, Span<float> target, long maxPixels = Preprocessing.ImageDecoder.DefaultMaxPixels)
    {
        Check(format);
        (int size, int channels, bool crop) = (format.Size, format.Channels, format.Crop);
        if (target.Length != channels * size * size)
        {
            throw new ArgumentException($"A [{channels}, {size}, {size}] picture needs {channels * size * size} values; the target holds {target.Length}.", nameof(target));
        }
        using SKBitmap full = Preprocessing.ImageDecoder.DecodeUpright(encoded, maxPixels, minSide: 1);
        using SKBitmap? cropped = crop ? CentredSquare(full) : null;
        using SKBitmap square = (cropped ?? full).Resize(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Unpremul), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear))
            ?? throw new InvalidDataException("could not be resized");
        ReadOnlySpan<byte> rgba = square.GetPixelSpan();
        if (channels == 1)
        {
            // The same luminance as every other grey picture in Digits.
            Preprocessing.ImageDecoder.FromRgba(rgba, size, size).Pixels.CopyTo(target);
            return;
        }
        int plane = size * size;
        for (int p = 0; p < plane; p++)
        {
            target[p] = rgba[p * 4] / 255f;
            target[plane + p] = rgba[(p * 4) + 1] / 255f;
            target[(2 * plane) + p] = rgba[(p * 4) + 2] / 255f;
        }
    }

    /// <summary>The centred square of <paramref name="picture"/>, as wide as its shorter side: a view of its pixels, to dispose before it.</summary>
    private static SKBitmap CentredSquare(SKBitmap picture)
    {
        int side = Math.Min(picture.Width, picture.Height);
        var square = new SKBitmap();
        if (!picture.ExtractSubset(square, SKRectI.Create((picture.Width - side) / 2, (picture.Height - side) / 2, side, side)))
        {
            square.Dispose();
            throw new InvalidDataException("could not be cropped");
        }
        return square;
    }

    /// <inheritdoc />
    public void Dispose() => Data.Dispose();
}
