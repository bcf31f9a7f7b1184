using Digits.Core.Models;

namespace Digits.Core.Training;

/// <summary>
/// Hands the session to <see cref="Save"/> before the first epoch and after every epoch, as Keras's
/// <c>ModelCheckpoint</c> does. The session itself keeps the best weights by its <see cref="TrainingSession.Improvement"/>
/// rule, with or without this callback, so a file always holds them. Every save is taken at an epoch boundary, so an
/// interrupted run always leaves a file that resumes exactly where the last finished epoch ended.
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
        Save(session);
    }
}
