using Digits.Core.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Digits.Core.Evaluation;

/// <summary>
/// Fits a model's <see cref="Calibration"/> on held-out logits: the temperature (temperature scaling, Guo et al. 2017)
/// and the "not sure" threshold; and measures calibration (reliability bins, expected calibration error).
/// </summary>
public static class Calibrator
{
    /// <summary>
    /// The price of a "not sure" relative to a wrong answer (1). Redrawing a digit costs a person little; a
    /// confident wrong answer misleads them, so abstaining is priced at a quarter. With perfectly calibrated
    /// probabilities this puts the threshold near 1 - 0.25 = 0.75 (Chow's rule); the validation set moves it.
    /// </summary>
    public const double AbstainCost = 0.25;

    /// <summary>Confidence bins for the expected calibration error, as in Guo et al.</summary>
    public const int Bins = 15;

    private const double MinTemperature = 0.05;
    private const double MaxTemperature = 20;
    private const int SearchSteps = 60;

    /// <summary>
    /// Fits the temperature by minimising the negative log-likelihood of <paramref name="labels"/> (golden-section
    /// search on log T), then picks the threshold that minimises wrong answers plus <see cref="AbstainCost"/> per abstention.
    /// </summary>
    /// <param name="logits"><c>[N, classes]</c> float32 on the CPU.</param>
    /// <param name="labels"><c>[N]</c> int64 on the CPU.</param>
    public static Calibration Fit(Tensor logits, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        if (logits.shape[0] == 0 || logits.shape[0] != labels.shape[0])
        {
            throw new ArgumentException($"Calibration needs as many labels as logits, at least one; received {logits.shape[0]} logits and {labels.shape[0]} labels.");
        }
        using var scope = NewDisposeScope();
        double temperature = FitTemperature(logits, labels);
        double before = ExpectedCalibrationError(softmax(logits, 1), labels);
        using Scalar divisor = temperature.ToScalar();
        Tensor calibrated = softmax(logits.div(divisor), 1);
        double after = ExpectedCalibrationError(calibrated, labels);
        return new Calibration(temperature, ChooseThreshold(calibrated, labels), before, after);
    }

    /// <summary>
    /// The expected calibration error: the gap between confidence and accuracy, averaged over
    /// <see cref="Bins"/> equal-width confidence bins weighted by how many predictions fall in each.
    /// </summary>
    public static double ExpectedCalibrationError(Tensor probabilities, Tensor labels) =>
        ExpectedCalibrationError(Reliability(probabilities, labels));

    /// <summary>The expected calibration error of a reliability diagram's bins.</summary>
    public static double ExpectedCalibrationError(IReadOnlyList<ReliabilityBin> bins)
    {
        ArgumentNullException.ThrowIfNull(bins);
        long total = bins.Sum(b => b.Count);
        return total == 0 ? 0 : bins.Sum(b => b.Count * Math.Abs(b.Accuracy - b.Confidence)) / total;
    }

    /// <summary>
    /// The reliability diagram's bins: for each of <see cref="Bins"/> equal-width ranges of top probability, how
    /// many predictions fall in it, their mean confidence and their accuracy (both 0 for an empty bin).
    /// </summary>
    /// <param name="probabilities"><c>[N, classes]</c> on the CPU.</param>
    /// <param name="labels"><c>[N]</c> int64 on the CPU.</param>
    public static IReadOnlyList<ReliabilityBin> Reliability(Tensor probabilities, Tensor labels)
    {
        (double[] confidence, bool[] correct) = TopConfidence(probabilities, labels);
        var count = new int[Bins];
        var confidenceSum = new double[Bins];
        var correctSum = new double[Bins];
        for (int i = 0; i < confidence.Length; i++)
        {
            int bin = Math.Min(Bins - 1, (int)(confidence[i] * Bins));
            count[bin]++;
            confidenceSum[bin] += confidence[i];
            correctSum[bin] += correct[i] ? 1 : 0;
        }
        return [.. Enumerable.Range(0, Bins).Select(b => new ReliabilityBin(
            b / (double)Bins, (b + 1) / (double)Bins, count[b],
            count[b] == 0 ? 0 : confidenceSum[b] / count[b],
            count[b] == 0 ? 0 : correctSum[b] / count[b]))];
    }

    private static double FitTemperature(Tensor logits, Tensor labels)
    {
        double Loss(double logT)
        {
            using var scope = NewDisposeScope();
            using Scalar temperature = Math.Exp(logT).ToScalar();
            return cross_entropy(logits.div(temperature), labels).ToDouble();
        }

        double ratio = (Math.Sqrt(5) - 1) / 2;
        double low = Math.Log(MinTemperature);
        double high = Math.Log(MaxTemperature);
        double a = high - (ratio * (high - low));
        double b = low + (ratio * (high - low));
        double lossA = Loss(a);
        double lossB = Loss(b);
        for (int step = 0; step < SearchSteps; step++)
        {
            if (lossA < lossB)
            {
                (high, b, lossB) = (b, a, lossA);
                a = high - (ratio * (high - low));
                lossA = Loss(a);
            }
            else
            {
                (low, a, lossA) = (a, b, lossB);
                b = low + (ratio * (high - low));
                lossB = Loss(b);
            }
        }
        return Math.Exp((low + high) / 2);
    }

    /// <summary>The lowest threshold, in steps of 0.01, with the least cost: wrong answers kept plus abstentions priced at <see cref="AbstainCost"/>.</summary>
    private static double ChooseThreshold(Tensor probabilities, Tensor labels)
    {
        (double[] confidence, bool[] correct) = TopConfidence(probabilities, labels);
        double bestThreshold = 0;
        double bestCost = double.MaxValue;
        for (int step = 0; step < 100; step++)
        {
            double threshold = step / 100.0;
            double cost = 0;
            for (int i = 0; i < confidence.Length; i++)
            {
                cost += confidence[i] < threshold ? AbstainCost : correct[i] ? 0 : 1;
            }
            if (cost < bestCost)
            {
                (bestThreshold, bestCost) = (threshold, cost);
            }
        }
        return bestThreshold;
    }

    private static (double[] Confidence, bool[] Correct) TopConfidence(Tensor probabilities, Tensor labels)
    {
        using var scope = NewDisposeScope();
        (Tensor values, Tensor indices) = probabilities.max(1);
        double[] confidence = [.. values.to_type(ScalarType.Float64).data<double>()];
        bool[] correct = [.. indices.eq(labels).data<bool>()];
        return (confidence, correct);
    }
}
