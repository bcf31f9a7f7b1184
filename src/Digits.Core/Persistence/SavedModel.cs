using Digits.Core.Models;
using Digits.Core.Training;
using static TorchSharp.torch;

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

    /// <summary>Epochs of a fine-tuning run when none are asked for.</summary>
    public const int FineTuneEpochs = 3;

    /// <summary>
    /// Starts a new run from this model's best weights, to fine-tune it: a fresh optimiser and history, the model's
    /// recipe with <paramref name="options"/> over it, and by default <see cref="FineTuneEpochs"/> epochs at a tenth of
    /// the recipe's learning rate, so that the weights move without forgetting what they learnt.
    /// </summary>
    public TrainingSession FineTune(TrainingOptions options, Device device)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Epochs ??= FineTuneEpochs;
        options.LearningRate ??= Manifest.Recipe.LearningRate / 10;
        DigitsNetwork network = CreateNetwork();
        try
        {
            return TrainingSession.StartFrom(network, options, device);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Continues training from where the file left it: latest weights, optimiser state, history and best weights.
    /// <paramref name="options"/> may raise the number of epochs; other recipe overrides apply too.
    /// </summary>
    public TrainingSession Resume(TrainingOptions options, Device device)
    {
        ArgumentNullException.ThrowIfNull(options);
        TrainingRecord training = Manifest.Training ?? throw new InvalidDataException(
            $"'{Path}' holds no training state to resume from; start a new run with --model.");
        if (_optimizerState is null)
        {
            throw new InvalidDataException($"'{Path}' holds no optimizer state to resume from; start a new run with --model.");
        }
        if (options.Optimizer is not null && options.Optimizer != Manifest.Recipe.Optimizer)
        {
            throw new ArgumentException(
                $"'{Path}' holds {Manifest.Recipe.Optimizer} state; a resumed run cannot switch to {options.Optimizer}. Drop --optimizer, or start a new run.");
        }
        options.Seed = training.Seed;
        options.ValidationSplit = training.ValidationSplit;
        options.Limit ??= training.Limit;
        options.Monitor ??= training.Monitor;
        options.MinDelta ??= training.MinDelta;
        DigitsNetwork network = CreateNetwork();
        Dictionary<string, Tensor>? best = null;
        try
        {
            if (_latestWeights is not null)
            {
                if (training.BestEpoch is not null)
                {
                    best = TrainingSession.CopyState(network);
                }
                ModelFile.LoadWeights(network, _latestWeights);
            }
            else if (training.BestEpoch is not null)
            {
                best = TrainingSession.CopyState(network);
            }
            return TrainingSession.Resume(
                network, options, device, training.History, best, training.BestEpoch, training.BestValue,
                optimizer => ModelFile.LoadOptimizer(optimizer, _optimizerState, Path));
        }
        catch
        {
            foreach (Tensor t in best?.Values ?? Enumerable.Empty<Tensor>())
            {
                t.Dispose();
            }
            network.Dispose();
            throw;
        }
    }
}
