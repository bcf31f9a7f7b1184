using Digits.Core.Data;
using Digits.Core.Persistence;
using static TorchSharp.torch;

namespace Digits.Core.Training;

/// <summary>
/// What <c>digits train</c> is asked to do, in one of three modes: a new run (<see cref="Model"/>), a resumed one
/// (<see cref="Resume"/>) or a fine-tuning run from a trained model (<see cref="FineTuneFrom"/>); on MNIST (with
/// <see cref="ExtraDigits"/> mixed in) or on an image folder (<see cref="Folder"/>).
/// </summary>
public sealed record TrainingRequest
{
    /// <summary>The network of a new run: a registry name or a layer-list <c>.json</c> file. Defaults to <see cref="DefaultModel"/>, or on an image folder to a network sized to its pictures.</summary>
    public string? Model { get; init; }

    /// <summary>A model file to continue training.</summary>
    public string? Resume { get; init; }

    /// <summary>A model file to fine-tune: its best weights with a fresh optimiser.</summary>
    public string? FineTuneFrom { get; init; }

    /// <summary>Where to write the model. Defaults to <c>models/NAME.digits</c>, the resumed file, or <c>models/NAME-tuned.digits</c>.</summary>
    public string? Output { get; init; }

    /// <summary>True to replace an existing file at <see cref="Output"/> that the run did not start from.</summary>
    public bool Force { get; init; }

    /// <summary>The recipe overrides and the run's settings.</summary>
    public TrainingOptions Options { get; init; } = new();

    /// <summary>The folder of the MNIST files.</summary>
    public string MnistDirectory { get; init; } = MnistFiles.DefaultDirectory;

    /// <summary>
    /// Digits to mix into MNIST, or null: a folder of pictures in sub-folders 0-9, or a pen-strokes file (<c>.jsonl</c>,
    /// <c>.jsonl.gz</c>, as <see cref="PenDigitsFile"/> reads) drawn on the page's canvas.
    /// </summary>
    public string? ExtraDigits { get; init; }

    /// <summary>Writers left out of a pen-strokes <see cref="ExtraDigits"/> file, to be scored on afterwards; null keeps all.</summary>
    public WriterFold? HeldOut { get; init; }

    /// <summary>An image folder to train on instead of MNIST, or null.</summary>
    public FolderRequest? Folder { get; init; }

    /// <summary>Where to train. Defaults to the CPU.</summary>
    public Device Device { get; init; } = CPU;

    /// <summary>The network of a new run on MNIST when none is named: the PyTorch tutorial's.</summary>
    public const string DefaultModel = "lenet";

    /// <summary>
    /// Where the run writes the model of the network <paramref name="network"/>, checked not to replace a file the run
    /// did not start from. A fine-tuned model never replaces the one it started from unless --out says so.
    /// </summary>
    /// <exception cref="IOException">Another model, or a folder, is in the way.</exception>
    internal string OutputFor(string network)
    {
        string path = Output ?? Resume ?? Path.Combine("models", network + (FineTuneFrom is null ? "" : "-tuned") + ModelFile.Extension);
        OutputFile.EnsureWritable(path, Force, "--out", Resume, FineTuneFrom);
        return path;
    }
}

/// <summary>An image folder to train on and how its pictures are read.</summary>
/// <param name="Directory">One sub-folder per class, or <c>train/</c> and <c>validation/</c> folders of them.</param>
/// <param name="ImageSize">The side pictures are resized to, or null for the network's (or <see cref="FolderTraining.DefaultImageSize"/>).</param>
/// <param name="Channels">1 or 3, or null for the network's (or 3).</param>
/// <param name="Crop">Crop pictures to their centred square before resizing.</param>
/// <param name="OutputActivation">sigmoid or softmax for two classes, or null for the network's.</param>
public sealed record FolderRequest(string Directory, int? ImageSize = null, int? Channels = null, bool Crop = false, string? OutputActivation = null);
