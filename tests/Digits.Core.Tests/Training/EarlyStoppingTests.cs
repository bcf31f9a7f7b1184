using Digits.Core.Models;
using Digits.Core.Tests.Support;
using Digits.Core.Training;
using static TorchSharp.torch;

namespace Digits.Core.Tests.Training;

[Collection(TorchTests.Name)]
public sealed class EarlyStoppingTests
{
    private static EpochMetrics Epoch(int epoch, double valLoss) => new(epoch, 1, 0.5, valLoss, 0.5, 0.01, 1, 1);

    /// <summary>Feeds <paramref name="losses"/> as the trainer does: the session observes each epoch, then the callback sees it.</summary>
    private static int? FeedLosses(EarlyStopping callback, double minDelta, params double[] losses)
    {
        using TrainingSession session = TrainingSession.Start(ModelRegistry.Get("mlp"), new TrainingOptions { Monitor = "val_loss", MinDelta = minDelta }, CPU);
        callback.OnTrainBegin(session);
        for (int i = 0; i < losses.Length && !session.StopRequested; i++)
        {
            session.Observe(Epoch(i + 1, losses[i]));
            callback.OnEpochEnd(session, session.History[^1]);
        }
        return callback.StoppedEpoch;
    }

    [Fact]
    public void Patience_NoImprovementForPatienceEpochs_StopsAtThatEpoch()
    {
        Assert.Equal(5, FeedLosses(new EarlyStopping(patience: 3), 0, 0.5, 0.4, 0.41, 0.42, 0.43, 0.1));
    }

    [Fact]
    public void Patience_ImprovementResetsTheWait()
    {
        Assert.Null(FeedLosses(new EarlyStopping(patience: 2), 0, 0.5, 0.6, 0.4, 0.45, 0.3, 0.35));
    }

    [Fact]
    public void MinDelta_SmallerImprovementsDoNotCount()
    {
        Assert.Equal(3, FeedLosses(new EarlyStopping(patience: 2), 0.05, 0.5, 0.49, 0.48));
    }

    [Fact]
    public void Improvement_UnknownMetric_ListsTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => new Improvement("val_acc"));

        Assert.Contains("val_accuracy", e.Message);
    }

    [Theory]
    [InlineData("val_loss", 0.0, 0.4, 0.5, true)]
    [InlineData("val_loss", 0.0, 0.5, 0.5, false)]
    [InlineData("val_loss", 0.05, 0.46, 0.5, false)]
    [InlineData("val_loss", 0.05, 0.44, 0.5, true)]
    [InlineData("val_accuracy", 0.0, 0.91, 0.9, true)]
    [InlineData("val_accuracy", 0.0, 0.89, 0.9, false)]
    [InlineData("accuracy", 0.02, 0.91, 0.9, false)]
    public void Improvement_CountsOnlyChangesTheRightWayByMoreThanMinDelta(string monitor, double minDelta, double value, double best, bool better)
    {
        var rule = new Improvement(monitor, minDelta);

        Assert.Equal(better, rule.IsBetter(value, best));
        Assert.True(rule.IsBetter(value, null));
    }

    [Fact]
    public void BestWeights_AreTheSameWithOrWithoutACheckpoint()
    {
        // Regression (one-engine issue): only the checkpoint callback used to mark the best epoch, so without one
        // there were no best weights, and early stopping judged improvement by its own rule.
        using TrainingSession alone = TrainingSession.Start(ModelRegistry.Get("mlp"), new TrainingOptions { Monitor = "val_loss", MinDelta = 0.05 }, CPU);
        double[] losses = [0.5, 0.3, 0.28, 0.2];
        for (int i = 0; i < losses.Length; i++)
        {
            alone.Observe(Epoch(i + 1, losses[i]));
        }

        Assert.Equal(4, alone.BestEpoch);
        Assert.Equal(0.2, alone.BestValue);
        Assert.NotNull(alone.BestWeights);
    }

    [Fact]
    public void RestoreBestWeights_PutsTheBestEpochsWeightsBackAtTheEnd()
    {
        using TrainingSession session = TrainingSession.Start(ModelRegistry.Get("mlp"), new TrainingOptions { Monitor = "val_loss" }, CPU);
        var stopping = new EarlyStopping(patience: 5, restoreBestWeights: true);
        session.Observe(Epoch(1, 0.3));
        Tensor best = session.Network.parameters().First().detach().clone();
        using (no_grad())
        {
            session.Network.parameters().First().add_(1);
        }
        session.Observe(Epoch(2, 0.4));

        stopping.OnTrainEnd(session);

        Assert.True(session.Network.parameters().First().allclose(best));
        best.Dispose();
    }
}
