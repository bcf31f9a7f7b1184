using System.Diagnostics;
using System.Globalization;
using Digits.Core.Models;
using Digits.Core.Training;
using Spectre.Console;

namespace Digits.Cli;

/// <summary>
/// Shows training on a Spectre progress display: a bar for the whole run (its time left is the run's ETA),
/// then one bar per epoch with loss, accuracy and images/s. It refreshes the display itself, at most
/// every <see cref="s_refresh"/>, from the training thread. Every row fits the terminal's width, so that a
/// narrow terminal never wraps a row and breaks the display.
/// </summary>
internal sealed class TrainingProgress(ProgressContext progress, int width) : TrainingCallback
{
    /// <summary>The columns beside the description: the percentage, the time left, and the gaps between them.</summary>
    private const int OtherColumns = 4 + 8 + 4;

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
            _task.Description = Fit(string.Create(CultureInfo.InvariantCulture,
                $"Epoch {metrics.Epoch}/{session.Recipe.Epochs} loss {metrics.Loss:F4} acc {Tables.Percent(metrics.Accuracy)} val_acc {Tables.Percent(metrics.ValAccuracy.Value)} {metrics.ImagesPerSecond:N0} img/s"));
            progress.Refresh();
        }
    }

    /// <summary>The bar's width: full in a wide terminal, narrower in a narrow one, so that the figures keep their room.</summary>
    public static int BarWidth(int width) => Math.Clamp(width - 80, 10, 40);

    private string Describe(BatchProgress p) => Fit(string.Create(
        CultureInfo.InvariantCulture,
        $"Epoch {p.Epoch}/{p.Epochs} loss {p.Loss:F4} acc {Tables.Percent(p.Accuracy)} {p.ImagesPerSecond:N0} img/s batch {p.Batch}/{p.Batches}"));

    /// <summary>The description cut to the room the other columns leave; the least needed figures come last.</summary>
    private string Fit(string description)
    {
        int room = Math.Max(width - BarWidth(width) - OtherColumns, 20);
        return description.Length <= room ? description : description[..(room - 1)].TrimEnd() + "…";
    }
}
