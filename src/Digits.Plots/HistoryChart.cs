using Digits.Core.Models;
using Digits.Core.Training;
using ScottPlot;
using ScottPlot.Plottables;

namespace Digits.Plots;

/// <summary>The training curves, as Keras tutorials plot them: loss and accuracy per epoch, training against validation.</summary>
public static class HistoryChart
{
    /// <summary>
    /// Two plots side by side: the loss with the learning rate on a second axis, and the accuracy in percent.
    /// Validation curves are drawn only for epochs that have them.
    /// </summary>
    public static Plot[] Create(IReadOnlyList<EpochMetrics> history, string title)
    {
        ArgumentNullException.ThrowIfNull(history);
        if (history.Count == 0)
        {
            throw new ArgumentException("The model file holds no finished epoch, so there is no curve to draw.", nameof(history));
        }
        double[] epochs = [.. history.Select(h => (double)h.Epoch)];
        EpochMetrics[] validated = [.. history.Where(h => h.ValLoss is not null)];
        double[] validatedEpochs = [.. validated.Select(h => (double)h.Epoch)];

        var loss = new Plot();
        Curve(loss, epochs, [.. history.Select(h => h.Loss)], "training loss", Colors.C0);
        Curve(loss, validatedEpochs, [.. validated.Select(h => h.ValLoss!.Value)], "validation loss", Colors.C1);
        ScottPlot.AxisPanels.RightAxis rateAxis = loss.Axes.AddRightAxis();
        rateAxis.LabelText = "learning rate";
        Scatter rate = Curve(loss, epochs, [.. history.Select(h => h.LearningRate)], "learning rate", Colors.Gray);
        rate.LinePattern = LinePattern.Dashed;
        rate.Axes.YAxis = rateAxis;
        loss.Title($"{title}: loss");
        loss.XLabel("epoch");
        loss.YLabel("cross-entropy");
        loss.ShowLegend(Alignment.UpperRight);

        var accuracy = new Plot();
        Curve(accuracy, epochs, [.. history.Select(h => h.Accuracy * 100)], "training accuracy", Colors.C0);
        Curve(accuracy, validatedEpochs, [.. validated.Select(h => h.ValAccuracy!.Value * 100)], "validation accuracy", Colors.C1);
        accuracy.Title($"{title}: accuracy");
        accuracy.XLabel("epoch");
        accuracy.YLabel("accuracy (%)");
        accuracy.ShowLegend(Alignment.LowerRight);
        return [loss, accuracy];
    }

    /// <summary>One labelled curve as the training plots draw it: markers while there are few epochs.</summary>
    internal static Scatter Curve(Plot plot, double[] xs, double[] ys, string label, Color color)
    {
        Scatter scatter = plot.Add.Scatter(xs, ys, color);
        scatter.LegendText = label;
        scatter.LineWidth = 2;
        scatter.MarkerSize = xs.Length > 40 ? 0 : 6;
        return scatter;
    }
}
