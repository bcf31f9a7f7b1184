using System.Globalization;
using Digits.Core.Models;
using Digits.Core.Training;
using Spectre.Console;

namespace Digits.Cli;

/// <summary>
/// One line per finished epoch with every metric, as Keras prints with <c>verbose=2</c>: for output that is piped or
/// redirected, where a live bar would leave a line per refresh, and above the live bar in a terminal.
/// </summary>
internal sealed class EpochLines(IAnsiConsole console) : TrainingCallback
{
    public override void OnEpochEnd(TrainingSession session, EpochMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(metrics);
        // Written as it is, not rendered: a rendered line would be wrapped at the width Spectre assumes for a pipe (80).
        console.Profile.Out.Writer.WriteLine(Format(metrics, session.Recipe.Epochs));
        console.Profile.Out.Writer.Flush();
    }

    /// <summary>"Epoch 2/10: loss 0.1164, accuracy 96.48%, val_loss 0.1208, val_accuracy 96.35%, lr 0.01, 6.5 s, 8,355 images/s".</summary>
    internal static string Format(EpochMetrics m, int epochs)
    {
        string validation = m.ValAccuracy is null ? "" : string.Create(CultureInfo.InvariantCulture, $", val_loss {m.ValLoss:F4}, val_accuracy {Tables.Percent(m.ValAccuracy.Value)}");
        return string.Create(CultureInfo.InvariantCulture,
            $"Epoch {m.Epoch}/{epochs}: loss {m.Loss:F4}, accuracy {Tables.Percent(m.Accuracy)}{validation}, lr {m.LearningRate:G4}, {m.Seconds:F1} s, {m.ImagesPerSecond:N0} images/s");
    }
}
