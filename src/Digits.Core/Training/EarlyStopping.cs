namespace Digits.Core.Training;

/// <summary>
/// Stops training when the monitored metric has not improved for <see cref="Patience"/> epochs, as Keras's
/// <c>EarlyStopping</c> does.
/// </summary>
public sealed class EarlyStopping : TrainingCallback
{
    private double? _best;
    private int _wait;

    /// <summary>Creates the callback.</summary>
    /// <param name="monitor">The metric to watch (<c>val_accuracy</c>, <c>val_loss</c>, <c>accuracy</c>, <c>loss</c>).</param>
    /// <param name="patience">Epochs without improvement before stopping; at least 1.</param>
    /// <param name="minDelta">The smallest change that counts as an improvement. Defaults to 0.</param>
    public EarlyStopping(string monitor, int patience, double minDelta = 0)
    {
        if (!EpochMetrics.MetricNames.Contains(monitor))
        {
            throw new ArgumentException($"Cannot monitor '{monitor}'; choose one of {string.Join(", ", EpochMetrics.MetricNames)}.", nameof(monitor));
        }
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(minDelta);
        Monitor = monitor;
        Patience = patience;
        MinDelta = minDelta;
    }

    /// <summary>The metric watched.</summary>
    public string Monitor { get; }

    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; }

    /// <summary>The smallest change that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>The epoch after which training was stopped, or null.</summary>
    public int? StoppedEpoch { get; private set; }

    /// <inheritdoc />
    public override void OnTrainBegin(TrainingSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        _best = null;
        _wait = 0;
        foreach (EpochMetrics earlier in session.History)
        {
            Observe(earlier.Get(Monitor));
        }
    }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingSession session, EpochMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(metrics);
        double? value = metrics.Get(Monitor) ?? throw new InvalidOperationException(
            $"Early stopping monitors '{Monitor}', which this run does not produce; available: " +
            string.Join(", ", EpochMetrics.MetricNames.Where(m => metrics.Get(m) is not null)) + ".");
        Observe(value);
        if (_wait >= Patience)
        {
            StoppedEpoch = metrics.Epoch;
            session.StopRequested = true;
        }
    }

    private void Observe(double? value)
    {
        if (value is null)
        {
            return;
        }
        double sign = EpochMetrics.HigherIsBetter(Monitor) ? 1 : -1;
        if (_best is null || sign * (value.Value - _best.Value) > MinDelta)
        {
            _best = value;
            _wait = 0;
        }
        else
        {
            _wait++;
        }
    }
}
