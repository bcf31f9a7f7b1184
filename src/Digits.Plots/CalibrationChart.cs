using Digits.Core.Evaluation;
using ScottPlot;

namespace Digits.Plots;

/// <summary>The reliability diagram: accuracy against confidence, per confidence bin, before and after temperature scaling.</summary>
public static class CalibrationChart
{
    /// <summary>
    /// Bars of accuracy for each confidence bin (before and after side by side) against the diagonal of perfect
    /// calibration; empty bins are left out.
    /// </summary>
    public static Plot Create(IReadOnlyList<ReliabilityBin> before, IReadOnlyList<ReliabilityBin> after, double temperature, string title)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var plot = new Plot();
        Series(plot, before, -0.25, Colors.C1, $"before (ECE {Calibrator.ExpectedCalibrationError(before):P2})");
        Series(plot, after, 0.25, Colors.C0, $"after, T = {temperature:F3} (ECE {Calibrator.ExpectedCalibrationError(after):P2})");
        ScottPlot.Plottables.LinePlot diagonal = plot.Add.Line(0, 0, 100, 100);
        diagonal.LineColor = Colors.Gray;
        diagonal.LinePattern = LinePattern.Dashed;
        diagonal.LegendText = "perfectly calibrated";
        plot.Axes.SetLimits(0, 100, 0, 100);
        plot.Title($"{title}: reliability on the test set");
        plot.XLabel("confidence (%)");
        plot.YLabel("accuracy (%)");
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }

    private static void Series(Plot plot, IReadOnlyList<ReliabilityBin> bins, double offset, Color color, string label)
    {
        Bar[] bars =
        [
            .. bins.Where(b => b.Count > 0).Select(b =>
            {
                double width = (b.To - b.From) * 100;
                return new Bar
                {
                    Position = ((b.From + b.To) * 50) + (offset * width),
                    Value = b.Accuracy * 100,
                    Size = width * 0.45,
                    FillColor = color,
                };
            }),
        ];
        ScottPlot.Plottables.BarPlot series = plot.Add.Bars(bars);
        series.LegendText = label;
    }
}
