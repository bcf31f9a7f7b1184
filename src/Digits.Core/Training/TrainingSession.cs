using Digits.Core.Models;
using Digits.Core.Persistence;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Digits.Core.Training;

/// <summary>
/// Everything a training run needs and everything a checkpoint saves: the network, the optimiser,
/// the recipe, the history and the best weights so far. Owns and disposes its tensors.
/// </summary>
public sealed class TrainingSession : IDisposable
{
    private Dictionary<string, Tensor>? _bestWeights;

    private TrainingSession(DigitsNetwork network, TrainingRecipe recipe, TrainingOptions options, Device device)
    {
        Network = network;
        Recipe = recipe;
        Seed = options.Seed;
        Improvement = new Improvement(options.EffectiveMonitor, options.MinDelta ?? 0);
        ValidationSplit = options.ValidationSplit;
        Limit = options.Limit;
        Device = device;
        network.to(device);
        Optimizer = OptimizerFactory.Create(recipe, network.parameters());
    }

    /// <summary>The network being trained, on <see cref="Device"/>.</summary>
    public DigitsNetwork Network { get; }

    /// <summary>The definition the network was built from.</summary>
    public ModelDefinition Definition => Network.Definition;

    /// <summary>The optimiser.</summary>
    public optim.Optimizer Optimizer { get; }

    /// <summary>The effective recipe: the network's defaults with this run's overrides.</summary>
    public TrainingRecipe Recipe { get; }

    /// <summary>The seed of the run.</summary>
    public long Seed { get; }

    /// <summary>What counts as better: the rule that picks the best weights, and that early stopping waits on.</summary>
    public Improvement Improvement { get; }

    /// <summary>The metric that picks the best weights.</summary>
    public string Monitor => Improvement.Monitor;

    /// <summary>The validation share the run was started with.</summary>
    public double ValidationSplit { get; }

    /// <summary>The training-image limit, or null for all.</summary>
    public int? Limit { get; }

    /// <summary>Where the network lives.</summary>
    public Device Device { get; }

    /// <summary>The learning rate of the latest step.</summary>
    public double LearningRate { get; internal set; }

    /// <summary>Per-epoch metrics, first epoch first.</summary>
    public List<EpochMetrics> History { get; } = [];

    /// <summary>Epochs finished.</summary>
    public int CompletedEpochs => History.Count;

    /// <summary>The epoch with the best monitored value, or null before the first epoch.</summary>
    public int? BestEpoch { get; private set; }

    /// <summary>The best monitored value, or null.</summary>
    public double? BestValue { get; private set; }

    /// <summary>Set by a callback to end training after the current epoch.</summary>
    public bool StopRequested { get; set; }

    /// <summary>True when training was cancelled in the middle of an epoch; that epoch's steps are lost.</summary>
    public bool Interrupted { get; internal set; }

    /// <summary>Starts a run: seeds the weights, builds the network on the CPU, then moves it to <paramref name="device"/>.</summary>
    public static TrainingSession Start(ModelDefinition definition, TrainingOptions options, Device device)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(options);
        TrainingRecipe recipe = options.ApplyTo(definition.Recipe);
        NetworkBuilder.EnsureEndsInLogits(definition.Network);
        random.manual_seed(options.Seed);
        return new TrainingSession(new DigitsNetwork(definition), recipe, options, device);
    }

    /// <summary>Epochs of a fine-tuning run when none are asked for.</summary>
    public const int FineTuneEpochs = 3;

    /// <summary>
    /// Starts a new run from <paramref name="saved"/>'s best weights, to fine-tune it: a fresh optimiser and history,
    /// the model's recipe with <paramref name="options"/> over it, and by default <see cref="FineTuneEpochs"/> epochs at
    /// a tenth of the recipe's learning rate, so that the weights move without forgetting what they learnt.
    /// <paramref name="options"/> is not changed.
    /// </summary>
    public static TrainingSession FineTune(SavedModel saved, TrainingOptions options, Device device)
    {
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentNullException.ThrowIfNull(options);
        TrainingOptions run = options.Copy();
        run.Epochs ??= FineTuneEpochs;
        run.LearningRate ??= saved.Manifest.Recipe.LearningRate / 10;
        DigitsNetwork network = saved.CreateNetwork();
        try
        {
            random.manual_seed(run.Seed);
            return new TrainingSession(network, run.ApplyTo(network.Definition.Recipe), run, device);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Continues the run <paramref name="saved"/> holds from where it stopped: the network is built on the CPU from
    /// the file's definition, loaded with its latest weights, then moved to <paramref name="device"/>; the optimiser
    /// state, the history and the best weights are restored. The run keeps its seed, validation share and limit;
    /// <paramref name="options"/> may raise the number of epochs and override the recipe, and is not changed.
    /// </summary>
    /// <exception cref="InvalidDataException">The file holds no training state.</exception>
    /// <exception cref="ArgumentException">The options would change the optimiser.</exception>
    public static TrainingSession Resume(SavedModel saved, TrainingOptions options, Device device)
    {
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentNullException.ThrowIfNull(options);
        TrainingRecord training = saved.Manifest.Training ?? throw new InvalidDataException(
            $"'{saved.Path}' holds no training state to resume from; start a new run with --model.");
        byte[] optimizerState = saved.OptimizerState ?? throw new InvalidDataException(
            $"'{saved.Path}' holds no optimizer state to resume from; start a new run with --model.");
        if (options.Optimizer is not null && options.Optimizer != saved.Manifest.Recipe.Optimizer)
        {
            throw new ArgumentException(
                $"'{saved.Path}' holds {saved.Manifest.Recipe.Optimizer} state; a resumed run cannot switch to {options.Optimizer}. Drop --optimizer, or start a new run.");
        }
        TrainingOptions run = options.Copy();
        run.Seed = training.Seed;
        run.ValidationSplit = training.ValidationSplit;
        run.Limit ??= training.Limit;
        run.Monitor ??= training.Monitor;
        run.MinDelta ??= training.MinDelta;
        DigitsNetwork network = saved.CreateNetwork();
        Dictionary<string, Tensor>? best = null;
        try
        {
            // The file's inference weights are the best epoch's; its latest weights, when kept, are where training stopped.
            if (training.BestEpoch is not null)
            {
                best = CopyState(network);
            }
            if (saved.LatestWeights is not null)
            {
                ModelFile.LoadWeights(network, saved.LatestWeights, "latest weights", saved.Path);
            }
            var session = new TrainingSession(network, run.ApplyTo(network.Definition.Recipe), run, device);
            session.History.AddRange(training.History);
            session._bestWeights = best;
            session.BestEpoch = training.BestEpoch;
            session.BestValue = training.BestValue;
            ModelFile.LoadOptimizer(session.Optimizer, optimizerState, saved.Path);
            return session;
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

    /// <summary>
    /// Saves the run to a model file at <paramref name="path"/>, atomically: the best weights to answer with, and what
    /// resuming needs. <paramref name="metrics"/> adds measured figures such as the test accuracy.
    /// </summary>
    public void Save(string path, IReadOnlyDictionary<string, double>? metrics = null)
    {
        Dictionary<string, Tensor> current = CopyWeights();
        try
        {
            var record = new TrainingRecord(Seed, ValidationSplit, Limit, Monitor, BestEpoch, BestValue, [.. History], Improvement.MinDelta);
            ModelFile.Save(path, new ModelSnapshot(Definition, Recipe, record, Calibration, _bestWeights ?? current, CurrentDiffersFromBest ? current : null, Optimizer), metrics);
        }
        finally
        {
            foreach (Tensor t in current.Values)
            {
                t.Dispose();
            }
        }
    }

    /// <summary>The calibration of the best weights, once fitted after training; saved with the model.</summary>
    public Calibration? Calibration { get; set; }

    /// <summary>
    /// Adds a finished epoch to the history and, when it improves on the best by <see cref="Improvement"/>, keeps the
    /// current weights as the best. The trainer calls it after every epoch, before the callbacks.
    /// </summary>
    /// <exception cref="InvalidOperationException">The epoch lacks the monitored metric.</exception>
    public void Observe(EpochMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        double value = Improvement.ValueOf(metrics);
        History.Add(metrics);
        if (Improvement.IsBetter(value, BestValue))
        {
            DisposeBest();
            _bestWeights = CopyWeights();
            BestEpoch = metrics.Epoch;
            BestValue = value;
        }
    }

    /// <summary>
    /// Loads the best weights into <see cref="Network"/>, at the end of training (nothing to do before the first epoch,
    /// or when the last was the best). The optimiser keeps the last epoch's state, so save no checkpoint afterwards.
    /// </summary>
    public void RestoreBestWeights()
    {
        if (_bestWeights is null || !CurrentDiffersFromBest)
        {
            return;
        }
        using var noGrad = no_grad();
        Network.load_state_dict(_bestWeights, strict: true);
    }

    /// <summary>The best weights so far, on the CPU, or null before the first epoch. The session owns them.</summary>
    public IReadOnlyDictionary<string, Tensor>? BestWeights => _bestWeights;

    /// <summary>True when the network's current weights differ from the best ones.</summary>
    public bool CurrentDiffersFromBest => _bestWeights is not null && BestEpoch != CompletedEpochs;

    /// <summary>
    /// A new network, on the CPU, holding the best weights (the current ones before the first epoch);
    /// the caller owns it and moves it to a device.
    /// </summary>
    public DigitsNetwork CreateBestNetwork()
    {
        var network = new DigitsNetwork(Definition);
        Dictionary<string, Tensor>? current = _bestWeights is null ? CopyWeights() : null;
        try
        {
            network.load_state_dict(_bestWeights ?? current!, strict: true);
        }
        finally
        {
            foreach (Tensor t in current?.Values ?? Enumerable.Empty<Tensor>())
            {
                t.Dispose();
            }
        }
        return network;
    }

    /// <summary>A CPU copy of the network's current parameters and buffers; the caller owns and disposes it.</summary>
    public Dictionary<string, Tensor> CopyWeights() => CopyState(Network);

    /// <summary>A CPU copy of a module's parameters and buffers; the caller owns and disposes it.</summary>
    internal static Dictionary<string, Tensor> CopyState(nn.Module module)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return module.state_dict().ToDictionary(
            kv => kv.Key,
            kv => kv.Value.detach().cpu().clone().MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        DisposeBest();
        Optimizer.Dispose();
        Network.Dispose();
    }

    private void DisposeBest()
    {
        if (_bestWeights is null)
        {
            return;
        }
        foreach (Tensor t in _bestWeights.Values)
        {
            t.Dispose();
        }
        _bestWeights = null;
    }
}
