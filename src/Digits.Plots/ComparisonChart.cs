using Digits.Core.Models;
using Digits.Core.Training;
using ScottPlot;

namespace Digits.Plots;

/// <summary>Several models' accuracy curves on one plot: validation accuracy where the run had a validation split, training accuracy otherwise.</summary>
public static class ComparisonChart
{
    /// <summary>One curve per model, named by <paramref name="names"/>.</summary>
    public static Plot Create(IReadOnlyList<string> names, IReadOnlyList<IReadOnlyList<EpochMetrics>> histories)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(histories);
        var plot = new Plot();
        for (int m = 0; m < names.Count; m++)
        {
            IReadOnlyList<EpochMetrics> history = histories[m];
            bool validated = history.Count > 0 && history.All(h => h.ValAccuracy is not null);
            HistoryChart.Curve(
                plot,
                [.. history.Select(h => (double)h.Epoch)],
                [.. history.Select(h => (validated ? h.ValAccuracy!.Value : h.Accuracy) * 100)],
                validated ? names[m] : $"{names[m]} (training)",
                Colors.Category10[m % Colors.Category10.Length]);
        }
        plot.Title("Validation accuracy per epoch");
        plot.XLabel("epoch");
        plot.YLabel("accuracy (%)");
        plot.ShowLegend(Alignment.LowerRight);
        HistoryChart.EpochAxis(plot);
        HistoryChart.CapAtHundred(plot);
        return plot;
    }
}
