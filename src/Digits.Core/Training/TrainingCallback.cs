using Digits.Core.Models;

namespace Digits.Core.Training;

/// <summary>
/// Extends the training loop, as Keras callbacks do. Every hook is empty by default; override the ones you need.
/// Set <see cref="TrainingSession.StopRequested"/> to end training after the current epoch.
/// </summary>
public abstract class TrainingCallback
{
    /// <summary>Called once before the first epoch.</summary>
    public virtual void OnTrainBegin(TrainingSession session)
    {
    }

    /// <summary>Called before every training step, with the 0-based epoch and step.</summary>
    public virtual void OnBatchBegin(TrainingSession session, int epoch, int batch, int batches)
    {
    }

    /// <summary>Called after every training step.</summary>
    public virtual void OnBatchEnd(TrainingSession session, BatchProgress progress)
    {
    }

    /// <summary>Called after each epoch, validation included; the metrics are already in the history.</summary>
    public virtual void OnEpochEnd(TrainingSession session, EpochMetrics metrics)
    {
    }

    /// <summary>Called once at the end, also when training was interrupted.</summary>
    public virtual void OnTrainEnd(TrainingSession session)
    {
    }
}
