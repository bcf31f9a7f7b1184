using Digits.Core.Data;
using Digits.Core.Models;

namespace Digits.Core.Inference;

/// <summary>How a model's pictures are read, as its manifest says: digits prepared as MNIST was, or an image folder's pictures resized as in training.</summary>
public static class PictureReader
{
    /// <summary>How the pictures of a network trained on an image folder are read: its input's size and channels, its cropping.</summary>
    /// <exception cref="InvalidDataException">The network was trained on MNIST's digits, not on an image folder.</exception>
    public static PictureFormat FormatOf(NetworkSpec network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return IsFolderModel(network)
            ? new PictureFormat(network.Input[1], network.Input[0], network.CropToSquare)
            : throw new InvalidDataException("This network was trained on MNIST's digits, not on an image folder; it reads digits, not pictures of classes.");
    }

    /// <summary>True for a network trained on an image folder (it names its classes); false for a digit network.</summary>
    public static bool IsFolderModel(NetworkSpec network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.ClassNames is not null;
    }
}
