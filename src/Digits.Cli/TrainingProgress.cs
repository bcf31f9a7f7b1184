using System.Diagnostics;
using System.Globalization;
using Digits.Core.Training;
using Spectre.Console;

namespace Digits.Cli;

/// <summary>Shows training on a Spectre progress display: one bar per epoch with loss, accuracy, images/s and time left.</summary>
internal sealed class TrainingProgress(ProgressContext progress) : TrainingCallback
{
    private static readonly TimeSpan s_refresh = TimeSpan.FromMilliseconds(100);
    private readonly Stopwatch _sinceUpdate = Stopwatch.StartNew();
    private ProgressTask? _task;
    private int _epoch;

    public override void OnBatchEnd(TrainingSession session, BatchProgress p)
    {
        if (p.Epoch != _epoch)
        {
            _epoch = p.Epoch;
            _task = progress.AddTask(Describe(p), maxValue: p.Batches);
        }
        if (_sinceUpdate.Elapsed >= s_refresh || p.Batch == p.Batches)
        {
            _sinceUpdate.Restart();
            _task!.Value = p.Batch;
            _task.Description = Describe(p);
        }
    }

    public override void OnEpochEnd(TrainingSession session, EpochMetrics metrics)
    {
        if (_task is not null && metrics.ValAccuracy is not null)
        {
            _task.Description += string.Create(CultureInfo.InvariantCulture, $" val_acc {metrics.ValAccuracy:P2}");
        }
    }

    private static string Describe(BatchProgress p) => string.Create(
        CultureInfo.InvariantCulture,
        $"Epoch {p.Epoch}/{p.Epochs} batch {p.Batch}/{p.Batches} loss {p.Loss:F4} acc {p.Accuracy:P2} {p.ImagesPerSecond:N0} img/s");
}
