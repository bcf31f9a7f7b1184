using Digits.Core.Evaluation;
using Digits.Core.Models;
using Digits.Core.Tests.Support;
using static TorchSharp.torch;

namespace Digits.Core.Tests.Evaluation;

[Collection(TorchTests.Name)]
public sealed class CalibrationTests
{
    /// <summary>Logits whose softmax at temperature 1 is calibrated: labels are drawn from it.</summary>
    private static (Tensor Logits, Tensor Labels) CalibratedSample(int n, long seed)
    {
        random.manual_seed(seed);
        Tensor logits = randn(n, 10).mul_(2.5);
        Tensor labels = multinomial(softmax(logits, 1), 1).squeeze(1);
        return (logits, labels);
    }

    [Theory]
    [InlineData(3.0)]
    [InlineData(0.4)]
    public void Fit_LogitsAtAKnownTemperature_FindsItAndLowersTheError(double temperature)
    {
        using var scope = NewDisposeScope();
        using var scalars = new ScalarScope();
        (Tensor logits, Tensor labels) = CalibratedSample(20000, 3);
        // Calibrated logits times T are T times too sharp (T > 1, overconfident) or too flat (T < 1), so the fitted
        // temperature should be T. A search that never moves returns 1, the middle of its range on a log scale.
        Tensor scaled = logits.mul(scalars.Of(temperature));

        Calibration calibration = Calibrator.Fit(scaled, labels);

        // Measured: 2.964 for 3 and 0.3952 for 0.4, about 1% off, as the sampling of 20,000 labels allows.
        Assert.InRange(calibration.Temperature, temperature * 0.97, temperature * 1.03);
        // The errors are those of the raw and of the scaled probabilities (measured: about 0.25 and 0.29 -> 0.007).
        Assert.Equal(Calibrator.ExpectedCalibrationError(softmax(scaled, 1), labels), calibration.ErrorBefore, 9);
        Assert.Equal(Calibrator.ExpectedCalibrationError(softmax(scaled.div(scalars.Of(calibration.Temperature)), 1), labels), calibration.ErrorAfter, 9);
        Assert.True(calibration.ErrorAfter < calibration.ErrorBefore / 10, $"ECE {calibration.ErrorBefore} -> {calibration.ErrorAfter}");
        Assert.InRange(calibration.ErrorAfter, 0, 0.02);
        // Chosen on the calibrated probabilities, the threshold follows Chow's rule (measured: 0.73 for both).
        Assert.InRange(calibration.Threshold, 1 - Calibrator.AbstainCost - 0.05, 1 - Calibrator.AbstainCost + 0.05);
    }

    [Fact]
    public void Fit_CalibratedLogits_PutsTheThresholdNearChowsRule()
    {
        using var scope = NewDisposeScope();
        (Tensor logits, Tensor labels) = CalibratedSample(20000, 4);

        Calibration calibration = Calibrator.Fit(logits, labels);

        // With calibrated probabilities abstaining pays below 1 - AbstainCost (measured: temperature 0.997, threshold 0.77).
        Assert.InRange(calibration.Temperature, 0.97, 1.03);
        Assert.InRange(calibration.Threshold, 1 - Calibrator.AbstainCost - 0.05, 1 - Calibrator.AbstainCost + 0.05);
    }

    [Fact]
    public void ExpectedCalibrationError_AlwaysRightAndSure_IsZero()
    {
        using var scope = NewDisposeScope();
        Tensor probabilities = eye(10);
        Tensor labels = arange(10);

        Assert.Equal(0, Calibrator.ExpectedCalibrationError(probabilities, labels), 6);
    }

    [Fact]
    public void Fit_MismatchedCounts_Throws()
    {
        using var scope = NewDisposeScope();

        Assert.Throws<ArgumentException>(() => Calibrator.Fit(zeros(5, 10), zeros(4, dtype: ScalarType.Int64)));
    }
}
