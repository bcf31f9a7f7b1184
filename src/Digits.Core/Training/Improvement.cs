using Digits.Core.Models;

namespace Digits.Core.Training;

/// <summary>
/// What counts as better, for the best weights and for early stopping alike (as Keras's <c>monitor</c>, <c>mode</c>
/// and <c>min_delta</c>): the monitored metric moving the right way by more than <see cref="MinDelta"/>.
/// </summary>
public sealed record Improvement
{
    /// <summary>Creates the rule.</summary>
    /// <param name="monitor">The metric watched: <c>val_accuracy</c>, <c>val_loss</c>, <c>accuracy</c> or <c>loss</c>.</param>
    /// <param name="minDelta">The smallest change that counts. Defaults to 0: any change the right way.</param>
    /// <exception cref="ArgumentException">An unknown metric, or a negative <paramref name="minDelta"/>.</exception>
    public Improvement(string monitor, double minDelta = 0)
    {
        if (!EpochMetrics.MetricNames.Contains(monitor))
        {
            throw new ArgumentException($"Cannot monitor '{monitor}'; choose one of {string.Join(", ", EpochMetrics.MetricNames)}.", nameof(monitor));
        }
        if (!(minDelta >= 0))
        {
            throw new ArgumentException($"The smallest improvement (min delta) cannot be negative; received {minDelta}.", nameof(minDelta));
        }
        Monitor = monitor;
        MinDelta = minDelta;
    }

    /// <summary>The metric watched.</summary>
    public string Monitor { get; }

    /// <summary>The smallest change that counts as an improvement.</summary>
    public double MinDelta { get; }

    /// <summary>True for accuracies (higher is better, Keras's mode "max"), false for losses ("min").</summary>
    public bool HigherIsBetter => EpochMetrics.HigherIsBetter(Monitor);

    /// <summary>True when <paramref name="value"/> improves on <paramref name="best"/> (always, when there is no best yet).</summary>
    public bool IsBetter(double value, double? best) =>
        best is null || (HigherIsBetter ? value - best.Value : best.Value - value) > MinDelta;

    /// <summary>The monitored value of <paramref name="metrics"/>.</summary>
    /// <exception cref="InvalidOperationException">The run does not produce the metric (e.g. no validation set).</exception>
    public double ValueOf(EpochMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return metrics.Get(Monitor) ?? throw new InvalidOperationException(
            $"The run monitors '{Monitor}', which it does not produce; available: " +
            string.Join(", ", EpochMetrics.MetricNames.Where(m => metrics.Get(m) is not null)) + ".");
    }
}
