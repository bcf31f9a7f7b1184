namespace Digits.Core.Evaluation;

/// <summary>The figures of a model on a labelled set.</summary>
/// <param name="Loss">Mean cross-entropy per image.</param>
/// <param name="Accuracy">Share of images classified right, in [0, 1].</param>
/// <param name="Confusion">Counts of (actual, predicted).</param>
public sealed record EvaluationResult(double Loss, double Accuracy, ConfusionMatrix Confusion)
{
    /// <summary>The number of images evaluated.</summary>
    public long Count => Confusion.Total;
}
