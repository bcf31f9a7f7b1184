namespace Digits.Core.Training;

/// <summary>
/// Sets the learning rate before every step from the session's schedule, as Keras's
/// <c>LearningRateScheduler</c> does. <see cref="Trainer.Fit"/> always runs it first.
/// </summary>
public sealed class LearningRateScheduler : TrainingCallback
{
    /// <inheritdoc />
    public override void OnBatchBegin(TrainingSession session, int epoch, int batch, int batches)
    {
        ArgumentNullException.ThrowIfNull(session);
        double rate = LearningRateSchedule.At(session.Recipe.Schedule, session.Recipe.LearningRate, epoch, batch, batches, session.Recipe.Epochs);
        OptimizerFactory.SetLearningRate(session.Optimizer, rate);
        session.LearningRate = rate;
    }
}
