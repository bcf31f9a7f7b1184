using System.Diagnostics;
using Digits.Core.Data;
using Digits.Core.Evaluation;
using Digits.Core.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Digits.Core.Training;

/// <summary>
/// The one training loop, modelled on Keras <c>fit</c>: shuffled whole-tensor batches, a validation
/// pass per epoch, and callbacks for everything else (progress, checkpoints, early stopping).
/// </summary>
public static class Trainer
{
    /// <summary>
    /// Trains <paramref name="session"/> from its next epoch to its recipe's last. Cancelling stops after
    /// the current step; <see cref="TrainingCallback.OnTrainEnd"/> still runs, so a checkpoint callback
    /// can save a resumable file.
    /// </summary>
    /// <param name="session">The network, optimiser and history; updated in place.</param>
    /// <param name="train">Training images and labels (on the CPU or the session's device).</param>
    /// <param name="validation">Validation set, or null.</param>
    /// <param name="userCallbacks">Called in order at each hook, after the built-in <see cref="LearningRateScheduler"/>.</param>
    /// <param name="cancellationToken">Stops training cleanly.</param>
    /// <returns>The history: one entry per finished epoch, earlier runs' epochs included.</returns>
    public static IReadOnlyList<EpochMetrics> Fit(
        TrainingSession session, MnistDataset train, MnistDataset? validation,
        IReadOnlyList<TrainingCallback> userCallbacks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(userCallbacks);
        NetworkSpec network = session.Definition.Network;
        train.EnsureFits(network.Input, network.Classes, "training");
        validation?.EnsureFits(network.Input, network.Classes, "validation");
        TrainingCallback[] callbacks = [new LearningRateScheduler(), .. userCallbacks];
        int batchSize = session.Recipe.BatchSize;
        int epochs = session.Recipe.Epochs;
        int batches = (train.Count + batchSize - 1) / batchSize;
        Augmentation? augmentation = Augmentation.Parse(session.Recipe.Augment);

        using var deviceData = new DeviceCopy(train, session.Device);
        // The skeletons of the pen redraw are found once for the run, not once per batch.
        using Tensor? penDistances = augmentation?.PenShare > 0 ? PenRedraw.Distances(deviceData.Images) : null;
        foreach (TrainingCallback callback in callbacks)
        {
            callback.OnTrainBegin(session);
        }

        for (int epoch = session.CompletedEpochs; epoch < epochs && !session.StopRequested; epoch++)
        {
            // Seeding per epoch makes a resumed run shuffle and drop out exactly as an uninterrupted one.
            random.manual_seed(session.Seed + (epoch * 7919L));
            session.Network.train();
            using Tensor order = randperm(train.Count);
            double lossSum = 0;
            long correct = 0;
            int seen = 0;
            var clock = Stopwatch.StartNew();
            for (int batch = 0; batch < batches; batch++)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    session.Interrupted = true;
                    break;
                }
                foreach (TrainingCallback callback in callbacks)
                {
                    callback.OnBatchBegin(session, epoch, batch, batches);
                }
                using var scope = NewDisposeScope();
                int start = batch * batchSize;
                int length = Math.Min(batchSize, train.Count - start);

                Tensor index = order.narrow(0, start, length).to(session.Device);
                Tensor images = deviceData.Images.index_select(0, index);
                Tensor labels = deviceData.Labels.index_select(0, index);
                if (augmentation is not null)
                {
                    images = augmentation.Apply(images, labels, penDistances?.index_select(0, index));
                }
                session.Optimizer.zero_grad();
                Tensor logits = session.Network.call(images);
                Tensor loss = cross_entropy(logits, labels);
                loss.backward();
                session.Optimizer.step();

                double batchLoss = loss.ToDouble();
                if (!double.IsFinite(batchLoss))
                {
                    // The weights are now NaN or infinite; the file keeps the last finished epoch.
                    throw new TrainingDivergedException(
                        $"The loss became {(double.IsNaN(batchLoss) ? "NaN" : "infinite")} in epoch {epoch + 1} (batch {batch + 1} of {batches}): the learning rate " +
                        $"{session.LearningRate:G3} is too high for this network; lower --lr. The model file keeps the last finished epoch.");
                }
                lossSum += batchLoss * length;
                correct += logits.argmax(1).eq(labels).sum().ToInt64();
                seen += length;
                var progress = new BatchProgress(epoch + 1, epochs, batch + 1, batches, lossSum / seen, correct / (double)seen, seen / clock.Elapsed.TotalSeconds);
                foreach (TrainingCallback callback in callbacks)
                {
                    callback.OnBatchEnd(session, progress);
                }
            }
            clock.Stop();
            if (session.Interrupted)
            {
                break;
            }

            EvaluationResult? validated = validation is null
                ? null
                : Evaluator.Evaluate(session.Network, validation, session.Device);
            var metrics = new EpochMetrics(
                epoch + 1, lossSum / seen, correct / (double)seen, validated?.Loss, validated?.Accuracy,
                session.LearningRate, clock.Elapsed.TotalSeconds, seen / clock.Elapsed.TotalSeconds);
            session.Observe(metrics);
            foreach (TrainingCallback callback in callbacks)
            {
                callback.OnEpochEnd(session, metrics);
            }
        }

        foreach (TrainingCallback callback in callbacks)
        {
            callback.OnTrainEnd(session);
        }
        return session.History;
    }

    /// <summary>The training tensors on the session's device: the same tensors on the CPU, a copy elsewhere.</summary>
    private sealed class DeviceCopy : IDisposable
    {
        private readonly bool _owned;

        public DeviceCopy(MnistDataset data, Device device)
        {
            _owned = data.Images.device_type != device.type || data.Images.device_index != device.index;
            Images = _owned ? data.Images.to(device).DetachFromDisposeScope() : data.Images;
            Labels = _owned ? data.Labels.to(device).DetachFromDisposeScope() : data.Labels;
        }

        public Tensor Images { get; }

        public Tensor Labels { get; }

        public void Dispose()
        {
            if (_owned)
            {
                Images.Dispose();
                Labels.Dispose();
            }
        }
    }
}
