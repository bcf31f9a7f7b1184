using Digits.Core.Models;
using Digits.Core.Training;

namespace Digits.Core.Persistence;

/// <summary>Where a training run stands, as saved in a model file.</summary>
/// <param name="Seed">The run's seed.</param>
/// <param name="ValidationSplit">The validation share.</param>
/// <param name="Limit">The training-image limit, or null.</param>
/// <param name="Monitor">The metric that picked the best weights.</param>
/// <param name="BestEpoch">The epoch whose weights are the file's inference weights.</param>
/// <param name="BestValue">The monitored value at that epoch.</param>
/// <param name="History">Per-epoch metrics; the file's latest weights are those after the last of them.</param>
/// <param name="MinDelta">The smallest change of <paramref name="Monitor"/> that counted as an improvement (0 in files written before it was kept).</param>
public sealed record TrainingRecord(
    long Seed, double ValidationSplit, int? Limit, string Monitor, int? BestEpoch, double? BestValue, IReadOnlyList<EpochMetrics> History,
    double MinDelta = 0);
