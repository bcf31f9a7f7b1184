using Digits.Core.Training;

namespace Digits.Core.Tests.Training;

public sealed class LearningRateScheduleTests
{
    [Fact]
    public void Step_DecaysBySeventyPercentEachEpoch()
    {
        Assert.Equal(1.0, LearningRateSchedule.At("step", 1.0, 0, 50, 100, 10), 12);
        Assert.Equal(0.49, LearningRateSchedule.At("step", 1.0, 2, 0, 100, 10), 12);
    }

    [Fact]
    public void Cosine_StartsAtTheBaseRateAndEndsNearZero()
    {
        Assert.Equal(0.1, LearningRateSchedule.At("cosine", 0.1, 0, 0, 100, 5), 12);
        Assert.Equal(0.05, LearningRateSchedule.At("cosine", 0.1, 2, 50, 100, 5), 12);
        Assert.True(LearningRateSchedule.At("cosine", 0.1, 4, 99, 100, 5) < 1e-4);
    }

    [Fact]
    public void OneCycle_PeaksAtThirtyPercentAndEndsFarBelowTheStart()
    {
        double start = LearningRateSchedule.At("onecycle", 0.1, 0, 0, 100, 10);
        double peak = LearningRateSchedule.At("onecycle", 0.1, 3, 0, 100, 10);
        double end = LearningRateSchedule.At("onecycle", 0.1, 9, 99, 100, 10);

        Assert.Equal(0.1 / 25, start, 12);
        Assert.Equal(0.1, peak, 12);
        Assert.True(end < start / 100);
    }

    [Fact]
    public void At_UnknownSchedule_ListsTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => LearningRateSchedule.At("linear", 1, 0, 0, 1, 1));

        Assert.Contains("onecycle", e.Message);
    }
}
