using Digits.Core.Models;

namespace Digits.Core.Training;

/// <summary>
/// Stops training when the session's monitored metric has not improved for <see cref="Patience"/> epochs, as Keras's
/// <c>EarlyStopping</c> does. What counts as an improvement is the session's <see cref="TrainingSession.Improvement"/>
/// rule, the same one that picks the best weights, so the epoch it waits from is the best epoch.
/// </summary>
public sealed class EarlyStopping : TrainingCallback
{
    /// <summary>Creates the callback.</summary>
    /// <param name="patience">Epochs without improvement before stopping; at least 1.</param>
    /// <param name="restoreBestWeights">
    /// At the end, put the best weights back into the session's network, as Keras's <c>restore_best_weights</c>.
    /// Defaults to false: the network keeps the last epoch's (a model file holds the best ones either way).
    /// </param>
    public EarlyStopping(int patience, bool restoreBestWeights = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(patience);
        Patience = patience;
        RestoreBestWeights = restoreBestWeights;
    }

    /// <summary>Epochs without improvement before stopping.</summary>
    public int Patience { get; }

    /// <summary>Whether the best weights go back into the network at the end.</summary>
    public bool RestoreBestWeights { get; }

    /// <summary>The epoch after which training was stopped, or null.</summary>
    public int? StoppedEpoch { get; private set; }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingSession session, EpochMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(metrics);
        if (metrics.Epoch - (session.BestEpoch ?? 0) >= Patience)
        {
            StoppedEpoch = metrics.Epoch;
            session.StopRequested = true;
        }
    }

    /// <inheritdoc />
    public override void OnTrainEnd(TrainingSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (RestoreBestWeights)
        {
            session.RestoreBestWeights();
        }
    }
}
