using Digits.Core.Inference;

namespace Digits.Core.Evaluation;

/// <summary>How a predictor did on a labelled set of pictures.</summary>
/// <param name="Confusion">Counts of (actual, predicted), best guesses included.</param>
/// <param name="NotSure">How many answers were "not sure".</param>
/// <param name="AnsweredAccuracy">Accuracy over the answers that were not "not sure".</param>
/// <param name="ByGroup">Accuracy per group (writer), ordered by name; empty when there are no groups.</param>
/// <param name="Mistakes">The wrong best guesses, the most confident first.</param>
/// <param name="Coverage">For each of <see cref="CoverageThresholds"/>: the share answered and how many of those answers are right.</param>
public sealed record HandwritingScore(
    ConfusionMatrix Confusion, int NotSure, double AnsweredAccuracy, IReadOnlyList<GroupAccuracy> ByGroup, IReadOnlyList<Mistake> Mistakes, IReadOnlyList<CoveragePoint> Coverage)
{
    /// <summary>The confidence thresholds of the coverage curve.</summary>
    public static IReadOnlyList<double> CoverageThresholds { get; } = [0, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99];

    /// <summary>Accuracy of the best guesses over all pictures.</summary>
    public double Accuracy => Confusion.Accuracy;

    /// <summary>Tallies predictions against labels (class indices), by group when <paramref name="groups"/> is given.</summary>
    public static HandwritingScore From(IReadOnlyList<Prediction> predictions, int[] labels, string[]? groups, int classes = 10)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(labels);
        var confusion = new ConfusionMatrix(classes);
        int notSure = 0;
        int answeredRight = 0;
        for (int i = 0; i < predictions.Count; i++)
        {
            confusion.Add(labels[i], predictions[i].Digit);
            notSure += predictions[i].NotSure ? 1 : 0;
            answeredRight += !predictions[i].NotSure && predictions[i].Digit == labels[i] ? 1 : 0;
        }
        int answered = predictions.Count - notSure;
        List<GroupAccuracy> byGroup = groups is null
            ? []
            : [.. Enumerable.Range(0, predictions.Count)
                .GroupBy(i => groups[i])
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new GroupAccuracy(g.Key, g.Count(), g.Count(i => predictions[i].Digit == labels[i]) / (double)g.Count()))];
        List<Mistake> mistakes = [.. Enumerable.Range(0, predictions.Count)
            .Where(i => predictions[i].Digit != labels[i])
            .Select(i => new Mistake(i, labels[i], predictions[i].Digit, predictions[i].Confidence))
            .OrderByDescending(m => m.Confidence)];
        List<CoveragePoint> coverage = [.. CoverageThresholds.Select(t =>
        {
            int[] kept = [.. Enumerable.Range(0, predictions.Count).Where(i => predictions[i].Confidence >= t)];
            return new CoveragePoint(t, kept.Length / (double)Math.Max(1, predictions.Count), kept.Length == 0 ? 1 : kept.Count(i => predictions[i].Digit == labels[i]) / (double)kept.Length);
        })];
        return new HandwritingScore(confusion, notSure, answered == 0 ? 0 : answeredRight / (double)answered, byGroup, mistakes, coverage);
    }
}

/// <summary>A wrong best guess.</summary>
/// <param name="Index">The picture's position in the scored list.</param>
/// <param name="Actual">Its label.</param>
/// <param name="Predicted">The best guess.</param>
/// <param name="Confidence">The calibrated probability of the best guess.</param>
public sealed record Mistake(int Index, int Actual, int Predicted, float Confidence);

/// <summary>One point of the coverage curve: answering only at or above a confidence.</summary>
/// <param name="Threshold">The confidence an answer needs.</param>
/// <param name="Answered">The share of pictures answered.</param>
/// <param name="Accuracy">The share of those answers that are right (1 when none is given).</param>
public sealed record CoveragePoint(double Threshold, double Answered, double Accuracy);
