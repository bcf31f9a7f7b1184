using Digits.Core.Inference;

namespace Digits.Core.Evaluation;

/// <summary>How a predictor did on a labelled set of pictures.</summary>
/// <param name="Confusion">Counts of (actual, predicted), best guesses included.</param>
/// <param name="NotSure">How many answers were "not sure".</param>
/// <param name="AnsweredAccuracy">Accuracy over the answers that were not "not sure".</param>
/// <param name="ByGroup">Accuracy per group (writer), ordered by name; empty when there are no groups.</param>
public sealed record HandwritingScore(ConfusionMatrix Confusion, int NotSure, double AnsweredAccuracy, IReadOnlyList<GroupAccuracy> ByGroup)
{
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
        return new HandwritingScore(confusion, notSure, answered == 0 ? 0 : answeredRight / (double)answered, byGroup);
    }
}
