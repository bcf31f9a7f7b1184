using TorchSharp;
using static TorchSharp.torch;

namespace Digits.Core.Data;

/// <summary>
/// A whole labelled image set held as two tensors, so batches are taken by index rather than sample
/// by sample: <see cref="Images"/> is <c>[N, C, H, W]</c> float32 in [0, 1] (0 = background),
/// <see cref="Labels"/> is <c>[N]</c> int64. The dataset owns and disposes both.
/// </summary>
public sealed class MnistDataset : IDisposable
{
    /// <summary>Takes ownership of <paramref name="images"/> and <paramref name="labels"/>.</summary>
    public MnistDataset(Tensor images, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(labels);
        if (images.dim() != 4 || labels.dim() != 1 || images.shape[0] != labels.shape[0])
        {
            throw new ArgumentException(
                $"Expected images [N,C,H,W] and labels [N]; received images [{string.Join(",", images.shape)}] " +
                $"and labels [{string.Join(",", labels.shape)}].");
        }
        Images = images.DetachFromDisposeScope();
        Labels = labels.DetachFromDisposeScope();
    }

    /// <summary>The images, <c>[N, C, H, W]</c> float32 in [0, 1].</summary>
    public Tensor Images { get; }

    /// <summary>The labels, <c>[N]</c> int64.</summary>
    public Tensor Labels { get; }

    /// <summary>The number of images.</summary>
    public int Count => (int)Labels.shape[0];

    /// <summary>
    /// Reads one MNIST set from <paramref name="directory"/> (gzip or raw IDX files).
    /// </summary>
    /// <param name="directory">The folder holding the four MNIST files.</param>
    /// <param name="split">Training or test set.</param>
    /// <param name="limit">Keep only the first <paramref name="limit"/> images; null keeps all.</param>
    public static MnistDataset Load(string directory, MnistSplit split, int? limit = null)
    {
        (MnistFile imagesFile, MnistFile labelsFile) = split == MnistSplit.Train
            ? (MnistFiles.TrainImages, MnistFiles.TrainLabels)
            : (MnistFiles.TestImages, MnistFiles.TestLabels);
        string imagesPath = MnistFiles.Require(directory, imagesFile);
        string labelsPath = MnistFiles.Require(directory, labelsFile);
        byte[] pixels = IdxReader.ReadImages(imagesPath, out int count);
        byte[] labels = IdxReader.ReadLabels(labelsPath);
        if (labels.Length != count)
        {
            throw new InvalidDataException(
                $"'{imagesPath}' holds {count} images but '{labelsPath}' holds {labels.Length} labels; they must agree.");
        }
        // A limit below 1 keeps one image; files that hold none give an empty set whatever the limit.
        int kept = limit is null ? count : Math.Min(count, Math.Max(1, limit.Value));
        if (kept == count)
        {
            return FromBytes(pixels, labels);
        }
        return FromBytes(pixels.AsSpan(0, kept * IdxReader.ImageSide * IdxReader.ImageSide).ToArray(), labels.AsSpan(0, kept).ToArray());
    }

    /// <summary>Builds a dataset from 28x28 grey images stored row-major as bytes (0 = background, 255 = ink).</summary>
    /// <param name="pixels">One 28x28 image per label, <c>labels.Length * 784</c> bytes.</param>
    /// <param name="labels">The images' labels.</param>
    /// <exception cref="ArgumentException">The pixels are not one 28x28 image per label.</exception>
    public static MnistDataset FromBytes(byte[] pixels, byte[] labels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(labels);
        const int Side = IdxReader.ImageSide;
        if (pixels.LongLength != (long)labels.Length * Side * Side)
        {
            throw new ArgumentException(
                $"Expected one {Side}x{Side} image per label, {(long)labels.Length * Side * Side} pixels for {labels.Length} labels; received {pixels.Length} pixels.",
                nameof(pixels));
        }
        using var scope = NewDisposeScope();
        using Scalar white = 255f.ToScalar();
        Tensor images = tensor(pixels, [labels.Length, 1, Side, Side], ScalarType.Byte)
            .to_type(ScalarType.Float32).div_(white);
        Tensor targets = tensor(labels, [labels.Length], ScalarType.Byte).to_type(ScalarType.Int64);
        return new MnistDataset(images, targets);
    }

    /// <summary>
    /// Splits off a validation set: a seeded random <paramref name="fraction"/> of the images.
    /// This dataset stays intact; the caller owns and disposes both parts.
    /// </summary>
    public (MnistDataset Train, MnistDataset Validation) Split(double fraction, long seed)
    {
        if (fraction <= 0 || fraction >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The validation fraction must be between 0 and 1, exclusive.");
        }
        int validationCount = Math.Max(1, (int)Math.Round(Count * fraction));
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed, CPU);
        Tensor order = randperm(Count, generator: generator);
        Tensor validationIndex = order.narrow(0, 0, validationCount);
        Tensor trainIndex = order.narrow(0, validationCount, Count - validationCount);
        var train = new MnistDataset(Images.index_select(0, trainIndex), Labels.index_select(0, trainIndex));
        var validation = new MnistDataset(Images.index_select(0, validationIndex), Labels.index_select(0, validationIndex));
        return (train, validation);
    }

    /// <summary>
    /// A new dataset: these images followed by <paramref name="extra"/>'s, repeated <paramref name="repeats"/> times so
    /// that a few hundred extra pictures are not drowned by sixty thousand. The caller owns it; both inputs stay intact.
    /// </summary>
    public MnistDataset Mix(MnistDataset extra, int repeats)
    {
        ArgumentNullException.ThrowIfNull(extra);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(repeats);
        using var scope = NewDisposeScope();
        Tensor images = cat([Images, extra.Images.repeat(repeats, 1, 1, 1)], 0);
        Tensor labels = cat([Labels, extra.Labels.repeat(repeats)], 0);
        return new MnistDataset(images, labels);
    }

    /// <summary>
    /// Checks that the images have the shape a network takes and that every label is one of its classes, so a mismatch
    /// fails with a message instead of deep inside libtorch.
    /// </summary>
    /// <param name="input">The network's input, [channels, height, width].</param>
    /// <param name="classes">How many classes it tells apart.</param>
    /// <param name="role">What the data is for, in the message: "training", "validation".</param>
    /// <exception cref="ArgumentException">The data does not fit.</exception>
    public void EnsureFits(IReadOnlyList<int> input, int classes, string role)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        long[] shape = Images.shape[1..];
        if (!shape.SequenceEqual(input.Select(d => (long)d)))
        {
            throw new ArgumentException(
                $"The {role} images are [{string.Join(", ", shape)}] but the network takes [{string.Join(", ", input)}] (its \"input\").");
        }
        long largest = Count == 0 ? 0 : Labels.max().ToInt64();
        if (largest >= classes)
        {
            throw new ArgumentException(
                $"The {role} data has label {largest} but the network tells apart {classes} classes (its \"classes\").");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
