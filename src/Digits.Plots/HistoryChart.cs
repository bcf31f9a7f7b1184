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
        IYAxis rateAxis = loss.Axes.Right;
        rateAxis.Label.Text = "learning rate";
        Scatter rate = Curve(loss, epochs, [.. history.Select(h => h.LearningRate)], "learning rate", Colors.Gray);
        rate.LinePattern = LinePattern.Dashed;
        rate.Axes.YAxis = rateAxis;
        loss.Title($"{title}: loss");
        loss.XLabel("epoch");
        loss.YLabel("cross-entropy");
        loss.ShowLegend(Alignment.UpperRight);
        EpochAxis(loss);
        // From 0, so that a constant rate is a flat line near the top, not the middle of an axis from -1.1 to 1.1.
        loss.Axes.SetLimitsY(0, history.Max(h => h.LearningRate) * 1.1, rateAxis);

        var accuracy = new Plot();
        Curve(accuracy, epochs, [.. history.Select(h => h.Accuracy * 100)], "training accuracy", Colors.C0);
        Curve(accuracy, validatedEpochs, [.. validated.Select(h => h.ValAccuracy!.Value * 100)], "validation accuracy", Colors.C1);
        accuracy.Title($"{title}: accuracy");
        accuracy.XLabel("epoch");
        accuracy.YLabel("accuracy (%)");
        accuracy.ShowLegend(Alignment.LowerRight);
        EpochAxis(accuracy);
        CapAtHundred(accuracy);
        return [loss, accuracy];
    }

    /// <summary>Whole epochs on the bottom axis (no tick at 1.5), the axes fitted to the curves.</summary>
    internal static void EpochAxis(Plot plot)
    {
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        // Fitted now: once one axis's limits are set by hand, the others are no longer fitted when drawn.
        plot.Axes.AutoScale();
    }

    /// <summary>An accuracy axis that ends at 100%, where the fitting's margin would take it to 101%.</summary>
    internal static void CapAtHundred(Plot plot)
    {
        AxisLimits limits = plot.Axes.GetLimits();
        plot.Axes.SetLimitsY(limits.Bottom, Math.Min(limits.Top, 100));
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
