namespace Digits.Core.Training;

/// <summary>
/// Keeps the best weights by the session's monitored metric, as Keras's <c>ModelCheckpoint</c> with
/// <c>save_best_only</c> does, and hands the session to <see cref="Save"/> before the first epoch and after
/// every epoch. Every save is taken at an epoch boundary, so an interrupted run always leaves a file that
/// resumes exactly where the last finished epoch ended.
/// </summary>
public sealed class ModelCheckpoint : TrainingCallback
{
    private readonly Action<TrainingSession> _save;

    /// <summary>Creates the callback; <paramref name="save"/> writes the session, e.g. to a model file.</summary>
    public ModelCheckpoint(Action<TrainingSession> save)
    {
        ArgumentNullException.ThrowIfNull(save);
        _save = save;
    }

    /// <summary>Writes the session.</summary>
    public void Save(TrainingSession session) => _save(session);

    /// <inheritdoc />
    public override void OnTrainBegin(TrainingSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        Save(session);
    }

    /// <inheritdoc />
    public override void OnEpochEnd(TrainingSession session, EpochMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(metrics);
        double value = metrics.Get(session.Monitor) ?? throw new InvalidOperationException(
            $"The checkpoint monitors '{session.Monitor}', which this run does not produce.");
        bool higher = EpochMetrics.HigherIsBetter(session.Monitor);
        if (session.BestValue is null || (higher ? value > session.BestValue : value < session.BestValue))
        {
            session.MarkBest(metrics.Epoch, value);
        }
        Save(session);
    }
}
