using System.Globalization;
using Digits.Core.Evaluation;
using ScottPlot;

namespace Digits.Plots;

/// <summary>The confusion matrix as a heatmap, rows the actual class, columns the prediction, each cell labelled with its count.</summary>
public static class ConfusionChart
{
    /// <summary>
    /// The heatmap. Colour is the share of the row on a logarithmic scale, so that the few mistakes show beside
    /// diagonal cells a hundred times larger; the numbers are the counts.
    /// </summary>
    /// <param name="confusion">The counts.</param>
    /// <param name="title">The model's name.</param>
    /// <param name="classes">The class names, or null for the digits 0 to 9.</param>
    public static Plot Create(ConfusionMatrix confusion, string title, IReadOnlyList<string>? classes = null)
    {
        ArgumentNullException.ThrowIfNull(confusion);
        int n = confusion.Classes;
        var shares = new double[n, n];
        for (int actual = 0; actual < n; actual++)
        {
            long row = Enumerable.Range(0, n).Sum(p => confusion[actual, p]);
            for (int predicted = 0; predicted < n; predicted++)
            {
                shares[actual, predicted] = Math.Log10(1 + (1000.0 * confusion[actual, predicted] / Math.Max(1, row)));
            }
        }
        var plot = new Plot();
        ScottPlot.Plottables.Heatmap heatmap = plot.Add.Heatmap(shares);
        // ScottPlot's Blues runs from dark to light; reversed, more is darker, as a heatmap reads.
        heatmap.Colormap = new ScottPlot.Colormaps.Blues().Reversed();
        for (int actual = 0; actual < n; actual++)
        {
            for (int predicted = 0; predicted < n; predicted++)
            {
                long count = confusion[actual, predicted];
                // Heatmap rows are drawn from the top: row r sits at y = n - 1 - r.
                ScottPlot.Plottables.Text label = plot.Add.Text(count.ToString(CultureInfo.InvariantCulture), predicted, n - 1 - actual);
                label.LabelAlignment = Alignment.MiddleCenter;
                label.LabelFontColor = shares[actual, predicted] > 2 ? Colors.White : Colors.Black;
                label.LabelFontSize = 14;
            }
        }
        double[] positions = [.. Enumerable.Range(0, n).Select(i => (double)i)];
        string[] names = [.. Enumerable.Range(0, n).Select(i => classes?[i] ?? i.ToString(CultureInfo.InvariantCulture))];
        plot.Axes.Bottom.SetTicks(positions, names);
        plot.Axes.Left.SetTicks([.. positions.Reverse()], names);
        plot.Title($"{title}: confusion matrix (accuracy {confusion.Accuracy:P2})");
        plot.XLabel("predicted");
        plot.YLabel("actual");
        return plot;
    }
}
