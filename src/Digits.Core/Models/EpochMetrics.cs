namespace Digits.Core.Models;

/// <summary>The figures of one epoch, as Keras's History records them.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Loss">Mean training cross-entropy over the epoch.</param>
/// <param name="Accuracy">Training accuracy over the epoch, in [0, 1].</param>
/// <param name="ValLoss">Validation loss, or null without a validation set.</param>
/// <param name="ValAccuracy">Validation accuracy, or null without a validation set.</param>
/// <param name="LearningRate">The learning rate at the epoch's last step.</param>
/// <param name="Seconds">Wall time of the epoch's training steps, validation excluded.</param>
/// <param name="ImagesPerSecond">Training images per second.</param>
public sealed record EpochMetrics(
    int Epoch, double Loss, double Accuracy, double? ValLoss, double? ValAccuracy, double LearningRate, double Seconds, double ImagesPerSecond)
{
    /// <summary>The value of a metric by its Keras name (<c>loss</c>, <c>accuracy</c>, <c>val_loss</c>, <c>val_accuracy</c>), or null.</summary>
    public double? Get(string metric) => metric switch
    {
        "loss" => Loss,
        "accuracy" => Accuracy,
        "val_loss" => ValLoss,
        "val_accuracy" => ValAccuracy,
        _ => null,
    };

    /// <summary>The metric names <see cref="Get"/> knows.</summary>
    public static IReadOnlyList<string> MetricNames { get; } = ["val_accuracy", "val_loss", "accuracy", "loss"];

    /// <summary>True when a larger value of <paramref name="metric"/> is better.</summary>
    public static bool HigherIsBetter(string metric) => metric.EndsWith("accuracy", StringComparison.Ordinal);
}
