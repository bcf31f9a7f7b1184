using Digits.Core.Models;
using Digits.Core.Tests.Support;
using Digits.Core.Training;
using static TorchSharp.torch;

namespace Digits.Core.Tests.Training;

[Collection(TorchTests.Name)]
public sealed class EarlyStoppingTests
{
    private static EpochMetrics Epoch(int epoch, double valLoss) => new(epoch, 1, 0.5, valLoss, 0.5, 0.01, 1, 1);

    private static int? FeedLosses(EarlyStopping callback, params double[] losses)
    {
        using TrainingSession session = TrainingSession.Start(ModelRegistry.Get("mlp"), new TrainingOptions(), CPU);
        callback.OnTrainBegin(session);
        for (int i = 0; i < losses.Length && !session.StopRequested; i++)
        {
            callback.OnEpochEnd(session, Epoch(i + 1, losses[i]));
        }
        return callback.StoppedEpoch;
    }

    [Fact]
    public void Patience_NoImprovementForPatienceEpochs_StopsAtThatEpoch()
    {
        Assert.Equal(5, FeedLosses(new EarlyStopping("val_loss", patience: 3), 0.5, 0.4, 0.41, 0.42, 0.43, 0.1));
    }

    [Fact]
    public void Patience_ImprovementResetsTheWait()
    {
        Assert.Null(FeedLosses(new EarlyStopping("val_loss", patience: 2), 0.5, 0.6, 0.4, 0.45, 0.3, 0.35));
    }

    [Fact]
    public void MinDelta_SmallerImprovementsDoNotCount()
    {
        Assert.Equal(3, FeedLosses(new EarlyStopping("val_loss", patience: 2, minDelta: 0.05), 0.5, 0.49, 0.48));
    }

    [Fact]
    public void Constructor_UnknownMetric_ListsTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => new EarlyStopping("val_acc", 2));

        Assert.Contains("val_accuracy", e.Message);
    }
}
