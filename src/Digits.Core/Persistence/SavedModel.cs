using Digits.Core.Models;

namespace Digits.Core.Persistence;

/// <summary>A model file read into memory: its manifest and weights, ready to rebuild the network or resume training.</summary>
public sealed class SavedModel
{
    private readonly byte[] _weights;
    private readonly byte[]? _latestWeights;
    private readonly byte[]? _optimizerState;

    internal SavedModel(string path, ModelManifest manifest, byte[] weights, byte[]? latestWeights, byte[]? optimizerState)
    {
        Path = path;
        Manifest = manifest;
        _weights = weights;
        _latestWeights = latestWeights;
        _optimizerState = optimizerState;
    }

    /// <summary>The file it was read from.</summary>
    public string Path { get; }

    /// <summary>The file's description.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The definition the network is rebuilt from.</summary>
    public ModelDefinition Definition => Manifest.ToDefinition();

    /// <summary>
    /// The network with its inference (best) weights, built on the CPU; move it to a device afterwards.
    /// The caller owns it.
    /// </summary>
    /// <exception cref="InvalidDataException">The weights do not fit the architecture.</exception>
    public DigitsNetwork CreateNetwork() => ModelFile.CreateNetwork(Definition, _weights, Path);

    /// <summary>The weights after the last finished epoch, when they differ from the inference weights; for resuming.</summary>
    internal byte[]? LatestWeights => _latestWeights;

    /// <summary>The optimiser's state after the last finished epoch, or null; for resuming.</summary>
    internal byte[]? OptimizerState => _optimizerState;
}
