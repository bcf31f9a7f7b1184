using Digits.Core.Data;
using Digits.Core.Evaluation;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Digits.Core.Tests.Support;
using Digits.Core.Training;
using Digits.Tests.Support;
using static TorchSharp.torch;

namespace Digits.Core.Tests.Training;

[Collection(TorchTests.Name)]
public sealed class TrainerTests : IDisposable
{
    private readonly TempDirectory _dir = new TempDirectory();

    public void Dispose() => _dir.Dispose();

    private static TrainingSession Start(string model, TrainingOptions options) =>
        TrainingSession.Start(ModelRegistry.Get(model), options, CPU);

    [Fact]
    public void Fit_TwentyStepsOnSixtyFourImages_LowersTheLoss()
    {
        using MnistDataset data = Mnist.TrainHead(64);
        using TrainingSession session = Start("lenet", new TrainingOptions { Epochs = 20, BatchSize = 64, Optimizer = "adam", ValidationSplit = 0 });

        Trainer.Fit(session, data, null, [], TestContext.Current.CancellationToken);

        Assert.Equal(20, session.History.Count);
        Assert.True(session.History[^1].Loss < session.History[0].Loss / 2, $"loss {session.History[0].Loss} -> {session.History[^1].Loss}");
    }

    [Fact]
    public void Fit_LeNetOnTwentyFourThousandImages_ReachesNinetySevenAndAHalfPercentOnTheFullTestSet()
    {
        using MnistDataset data = Mnist.TrainHead(24_000);
        using TrainingSession session = Start("lenet", new TrainingOptions { Epochs = 3, Optimizer = "adam", LearningRate = 2e-3, ValidationSplit = 0 });

        Trainer.Fit(session, data, null, [], TestContext.Current.CancellationToken);
        EvaluationResult result = Evaluator.Evaluate(session.Network, Mnist.Test, CPU);

        // Measured: 98.03% (seeded, two threads); the rest is room for other thread counts.
        Assert.True(result.Accuracy >= 0.975, $"test accuracy {result.Accuracy:P2}");
        Assert.Equal(10_000, result.Count);
    }

    [Fact]
    public void Fit_SameSeed_GivesTheSameHistory()
    {
        using MnistDataset data = Mnist.TrainHead(1_000);
        var options = new TrainingOptions { Epochs = 2, BatchSize = 100, Seed = 42, ValidationSplit = 0 };
        using TrainingSession first = Start("cnn-bn", options);
        using TrainingSession second = Start("cnn-bn", options);

        Trainer.Fit(first, data, null, [], TestContext.Current.CancellationToken);
        Trainer.Fit(second, data, null, [], TestContext.Current.CancellationToken);

        Assert.Equal(first.History.Select(h => h.Loss), second.History.Select(h => h.Loss));
    }

    [Fact]
    public void Resume_FromAFileSavedAfterEpochTwo_ContinuesExactlyAsAnUninterruptedRun()
    {
        using MnistDataset data = Mnist.TrainHead(2_000);
        (MnistDataset train, MnistDataset validation) = data.Split(0.1, seed: 3);
        using (train)
        using (validation)
        {
            var options = new TrainingOptions { Epochs = 3, BatchSize = 64, Schedule = "cosine", Seed = 5 };
            using TrainingSession straight = Start("lenet", options);
            Trainer.Fit(straight, train, validation, [], TestContext.Current.CancellationToken);

            string path = _dir.File("lenet.digits");
            using (TrainingSession firstPart = Start("lenet", options))
            {
                var stopAfterTwo = new CallbackProbe(onEpoch: (s, m) => s.StopRequested = m.Epoch == 2);
                Trainer.Fit(firstPart, train, validation, [stopAfterTwo, new ModelCheckpoint(s => s.Save(path))], TestContext.Current.CancellationToken);
                Assert.Equal(2, firstPart.History.Count);
            }
            using TrainingSession resumed = TrainingSession.Resume(ModelFile.Load(path), new TrainingOptions(), CPU);
            Trainer.Fit(resumed, train, validation, [], TestContext.Current.CancellationToken);

            Assert.Equal(3, resumed.History.Count);
            Assert.Equal(straight.History[1].Loss, resumed.History[1].Loss);
            Assert.Equal(straight.History[^1].LearningRate, resumed.History[^1].LearningRate, 12);
            Assert.Equal(straight.History[^1].Loss, resumed.History[^1].Loss, 4);
            Assert.Equal(straight.History[^1].ValAccuracy, resumed.History[^1].ValAccuracy);
        }
    }

    [Fact]
    public void Cancel_MidEpoch_SavesAFileThatResumesFromTheLastFullEpoch()
    {
        using MnistDataset data = Mnist.TrainHead(1_280);
        string path = _dir.File("interrupted.digits");
        using var cancellation = new CancellationTokenSource();
        using (TrainingSession session = Start("mlp", new TrainingOptions { Epochs = 3, BatchSize = 64, ValidationSplit = 0 }))
        {
            var stopInEpochTwo = new CallbackProbe(onBatch: p =>
            {
                if (p.Epoch == 2 && p.Batch == 5)
                {
                    cancellation.Cancel();
                }
            });
            Trainer.Fit(session, data, null, [stopInEpochTwo, new ModelCheckpoint(s => s.Save(path))], cancellation.Token);

            Assert.True(session.Interrupted);
            Assert.Single(session.History);
            Assert.Equal(1, stopInEpochTwo.TrainEnds);
        }

        SavedModel saved = ModelFile.Load(path);
        Assert.Single(saved.Manifest.Training!.History);
        using TrainingSession resumed = TrainingSession.Resume(saved, new TrainingOptions(), CPU);
        Trainer.Fit(resumed, data, null, [], TestContext.Current.CancellationToken);
        Assert.Equal(new[] { 1, 2, 3 }, resumed.History.Select(h => h.Epoch));
    }

    [Fact]
    public void EarlyStopping_InsideFit_StopsTheRunBeforeItsLastEpoch()
    {
        using MnistDataset data = Mnist.TrainHead(256);
        using TrainingSession session = Start("mlp", new TrainingOptions { Epochs = 30, BatchSize = 256, LearningRate = 1e-9, ValidationSplit = 0, Monitor = "accuracy", MinDelta = 0.5 });
        var stopping = new EarlyStopping(patience: 2);

        Trainer.Fit(session, data, null, [stopping], TestContext.Current.CancellationToken);

        Assert.Equal(3, session.History.Count);
        Assert.Equal(3, stopping.StoppedEpoch);
    }

    [Fact]
    public void Fit_NetworkForColourImages_FailsNamingBothShapes()
    {
        using MnistDataset data = Mnist.TrainHead(64);
        var spec = new NetworkSpec([new FlattenLayer(), new DenseLayer(10)]) { Input = [3, 28, 28] };
        using TrainingSession session = TrainingSession.Start(new ModelDefinition("rgb", "", spec, null, ModelDefinition.DefaultRecipe), new TrainingOptions { ValidationSplit = 0 }, CPU);

        var e = Assert.Throws<ArgumentException>(() => Trainer.Fit(session, data, null, [], TestContext.Current.CancellationToken));

        Assert.Contains("[1, 28, 28]", e.Message);
        Assert.Contains("[3, 28, 28]", e.Message);
    }

    [Fact]
    public void Resume_WithAnotherOptimizer_IsRefusedNamingBoth()
    {
        string path = _dir.File("sgd.digits");
        using (TrainingSession session = Start("lenet", new TrainingOptions()))
        {
            session.Save(path);
        }

        var e = Assert.Throws<ArgumentException>(() => TrainingSession.Resume(ModelFile.Load(path), new TrainingOptions { Optimizer = "adam" }, CPU));

        Assert.Contains("sgd", e.Message);
        Assert.Contains("adam", e.Message);
    }

    [Fact]
    public void ResumeAndFineTune_LeaveTheCallersOptionsAsGiven()
    {
        // Regression (one-engine issue): loading a run used to write the file's seed, split and epochs into the caller's options.
        string path = _dir.File("seeded.digits");
        using (TrainingSession session = Start("mlp", new TrainingOptions { Seed = 42, ValidationSplit = 0.2 }))
        {
            session.Save(path);
        }
        SavedModel saved = ModelFile.Load(path);
        var options = new TrainingOptions();

        using (TrainingSession resumed = TrainingSession.Resume(saved, options, CPU))
        {
            Assert.Equal(42, resumed.Seed);
            Assert.Equal(0.2, resumed.ValidationSplit);
        }
        using (TrainingSession tuned = TrainingSession.FineTune(saved, options, CPU))
        {
            Assert.Equal(TrainingSession.FineTuneEpochs, tuned.Recipe.Epochs);
        }

        Assert.Equal(1, options.Seed);
        Assert.Equal(0.1, options.ValidationSplit);
        Assert.Null(options.Epochs);
        Assert.Null(options.LearningRate);
        Assert.Null(options.Monitor);
    }

    private sealed class CallbackProbe(Action<BatchProgress>? onBatch = null, Action<TrainingSession, EpochMetrics>? onEpoch = null) : TrainingCallback
    {
        public int TrainEnds { get; private set; }

        public override void OnBatchEnd(TrainingSession session, BatchProgress progress) => onBatch?.Invoke(progress);

        public override void OnEpochEnd(TrainingSession session, EpochMetrics metrics) => onEpoch?.Invoke(session, metrics);

        public override void OnTrainEnd(TrainingSession session) => TrainEnds++;
    }
}
