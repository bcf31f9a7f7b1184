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

    [Fact]
    public void Fit_OverconfidentLogits_FindsTheTemperatureThatUndoesIt()
    {
        using var scope = NewDisposeScope();
        (Tensor logits, Tensor labels) = CalibratedSample(20000, 3);

        // Three times too confident: the fitted temperature should be about 3 and the error should fall.
        Calibration calibration = Calibrator.Fit(logits.mul(3), labels);

        Assert.InRange(calibration.Temperature, 2.7, 3.3);
        Assert.True(calibration.ErrorAfter < calibration.ErrorBefore / 3, $"ECE {calibration.ErrorBefore} -> {calibration.ErrorAfter}");
        Assert.InRange(calibration.ErrorAfter, 0, 0.02);
    }

    [Fact]
    public void Fit_CalibratedLogits_PutsTheThresholdNearChowsRule()
    {
        using var scope = NewDisposeScope();
        (Tensor logits, Tensor labels) = CalibratedSample(20000, 4);

        Calibration calibration = Calibrator.Fit(logits, labels);

        // With calibrated probabilities abstaining pays below 1 - AbstainCost.
        Assert.InRange(calibration.Temperature, 0.9, 1.1);
        Assert.InRange(calibration.Threshold, 1 - Calibrator.AbstainCost - 0.08, 1 - Calibrator.AbstainCost + 0.08);
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
