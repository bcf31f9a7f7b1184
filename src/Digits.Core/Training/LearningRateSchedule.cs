namespace Digits.Core.Training;

/// <summary>
/// Learning-rate schedules as pure functions of the position in training, so that a resumed run
/// continues exactly where it stopped.
/// </summary>
public static class LearningRateSchedule
{
    /// <summary>The schedule names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["none", "step", "cosine", "onecycle"];

    /// <summary>The step schedule's factor per epoch, as in the PyTorch MNIST example (StepLR, gamma 0.7).</summary>
    public const double StepGamma = 0.7;

    /// <summary>One-cycle: share of training spent warming up, and the divisors of PyTorch's OneCycleLR defaults.</summary>
    private const double OneCycleWarmup = 0.3;
    private const double OneCycleStartDivisor = 25;
    private const double OneCycleFinalDivisor = 1e4;

    /// <summary>The learning rate for a step.</summary>
    /// <param name="schedule">One of <see cref="Names"/>.</param>
    /// <param name="baseRate">The rate the schedule starts from (its peak for one-cycle).</param>
    /// <param name="epoch">0-based epoch.</param>
    /// <param name="batch">0-based step within the epoch.</param>
    /// <param name="batchesPerEpoch">Steps per epoch.</param>
    /// <param name="epochs">Epochs in the whole run.</param>
    public static double At(string schedule, double baseRate, int epoch, int batch, int batchesPerEpoch, int epochs)
    {
        double progress = Math.Clamp((epoch + (batch / (double)batchesPerEpoch)) / epochs, 0, 1);
        switch (schedule)
        {
            case "none":
                return baseRate;
            case "step":
                return baseRate * Math.Pow(StepGamma, epoch);
            case "cosine":
                return baseRate * 0.5 * (1 + Math.Cos(Math.PI * progress));
            case "onecycle":
                double start = baseRate / OneCycleStartDivisor;
                double end = start / OneCycleFinalDivisor;
                return progress < OneCycleWarmup
                    ? Anneal(start, baseRate, progress / OneCycleWarmup)
                    : Anneal(baseRate, end, (progress - OneCycleWarmup) / (1 - OneCycleWarmup));
            default:
                throw new ArgumentException($"Unknown schedule '{schedule}'; choose one of {string.Join(", ", Names)}.", nameof(schedule));
        }
    }

    private static double Anneal(double from, double to, double t) => to + ((from - to) * 0.5 * (1 + Math.Cos(Math.PI * t)));
}
