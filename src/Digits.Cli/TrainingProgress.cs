using System.Diagnostics;
using System.Globalization;
using Digits.Core.Models;
using Digits.Core.Training;
using Spectre.Console;

namespace Digits.Cli;

/// <summary>
/// Shows training on a Spectre progress display: a bar for the whole run (its time left is the run's ETA),
/// then one bar per epoch with loss, accuracy and images/s. It refreshes the display itself, at most
/// every <see cref="s_refresh"/>, from the training thread.
/// </summary>
internal sealed class TrainingProgress(ProgressContext progress) : TrainingCallback
{
    private static readonly TimeSpan s_refresh = TimeSpan.FromMilliseconds(250);
    private readonly Stopwatch _sinceUpdate = Stopwatch.StartNew();
    private ProgressTask? _run;
    private ProgressTask? _task;
    private int _firstEpoch;
    private int _epoch;

    public override void OnBatchEnd(TrainingSession session, BatchProgress p)
    {
        if (_run is null)
        {
            _firstEpoch = p.Epoch;
            _run = progress.AddTask($"Epochs {p.Epoch}-{p.Epochs}", maxValue: (p.Epochs - p.Epoch + 1) * (double)p.Batches);
        }
        if (p.Epoch != _epoch)
        {
            _epoch = p.Epoch;
            _task = progress.AddTask(Describe(p), maxValue: p.Batches);
        }
        if (_sinceUpdate.Elapsed >= s_refresh || p.Batch == p.Batches)
        {
            _sinceUpdate.Restart();
            _run.Value = ((p.Epoch - _firstEpoch) * (double)p.Batches) + p.Batch;
            _task!.Value = p.Batch;
            _task.Description = Describe(p);
            progress.Refresh();
        }
    }

    public override void OnEpochEnd(TrainingSession session, EpochMetrics metrics)
    {
        if (_task is not null && metrics.ValAccuracy is not null)
        {
            _task.Description += $" val_acc {Tables.Percent(metrics.ValAccuracy.Value)}";
            progress.Refresh();
        }
    }

    private static string Describe(BatchProgress p) => string.Create(
        CultureInfo.InvariantCulture,
        $"Epoch {p.Epoch}/{p.Epochs} batch {p.Batch}/{p.Batches} loss {p.Loss:F4} acc {Tables.Percent(p.Accuracy)} {p.ImagesPerSecond:N0} img/s");
}
