using Digits.Core.Evaluation;
using Digits.Core.Models;
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

    /// <summary>
    /// Starts a new run from a trained <paramref name="network"/> (fine-tuning): its weights, a fresh optimiser and
    /// history. The network must be on the CPU; it is moved to <paramref name="device"/>.
    /// </summary>
    internal static TrainingSession StartFrom(DigitsNetwork network, TrainingOptions options, Device device)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        random.manual_seed(options.Seed);
        return new TrainingSession(network, options.ApplyTo(network.Definition.Recipe), options, device);
    }

    /// <summary>
    /// Continues a saved run: the network is built on the CPU from the file's definition, loaded with
    /// the file's latest weights, then moved to <paramref name="device"/>; the optimiser state, the
    /// history and the best weights are restored. The options may raise the number of epochs.
    /// </summary>
    internal static TrainingSession Resume(
        DigitsNetwork network, TrainingOptions options, Device device, IEnumerable<EpochMetrics> history,
        Dictionary<string, Tensor>? bestWeights, int? bestEpoch, double? bestValue, Action<optim.Optimizer> restoreOptimizer)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(restoreOptimizer);
        var session = new TrainingSession(network, options.ApplyTo(network.Definition.Recipe), options, device);
        session.History.AddRange(history);
        session._bestWeights = bestWeights;
        session.BestEpoch = bestEpoch;
        session.BestValue = bestValue;
        restoreOptimizer(session.Optimizer);
        return session;
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
