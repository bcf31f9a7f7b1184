using System.Globalization;
using Digits.Core.Evaluation;
using Digits.Core.Training;
using Spectre.Console;

namespace Digits.Cli;

/// <summary>What <c>digits train</c> shows: notices, the progress of each epoch, then the history and the best weights' figures (or JSON).</summary>
internal sealed class TrainingReport(CliContext context, bool json)
{
    /// <summary>A line for the person watching: on the console, or on stderr when the console carries JSON.</summary>
    public void Notice(string text)
    {
        if (json)
        {
            context.Error.WriteLine(text);
            return;
        }
        context.Console.MarkupLine($"[yellow]{Markup.Escape(text)}[/]");
    }

    /// <summary>
    /// Runs the job: with a live progress display in a terminal, one line per epoch when the output is piped or
    /// redirected, and silently when it is JSON.
    /// </summary>
    public TrainingOutcome Fit(TrainingJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (json)
        {
            return job.Run([], cancellationToken);
        }
        TrainingSession session = job.Session;
        context.Console.MarkupLine(
            $"Training [bold]{Markup.Escape(session.Definition.Name)}[/] on {job.TrainCount:N0} images ({job.ValidationCount:N0} for validation), " +
            $"{Markup.Escape(session.Recipe.Optimizer)} lr {session.Recipe.LearningRate.ToString("G4", CultureInfo.InvariantCulture)}, batch {session.Recipe.BatchSize}, " +
            $"epochs {session.CompletedEpochs + 1}-{session.Recipe.Epochs}, schedule {Markup.Escape(session.Recipe.Schedule)}, augmentation {Markup.Escape(session.Recipe.Augment)}, device {session.Device.type}.");
        // A live display needs a terminal: a pipe or a file would keep every refresh.
        if (context.Console.Profile.Capabilities is not { Interactive: true, Ansi: true })
        {
            return job.Run([new EpochLines(context.Console)], cancellationToken);
        }
        TrainingOutcome? outcome = null;
        int width = context.Console.Profile.Width;
        // Rendered from the training thread (TrainingProgress calls Refresh), so no render thread competes
        // with libtorch's workers for the cores.
        context.Console.Progress()
            .AutoClear(false)
            .AutoRefresh(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = TrainingProgress.BarWidth(width) },
                new PercentageColumn(), new RemainingTimeColumn())
            .Start(progress => outcome = job.Run([new TrainingProgress(progress, width)], cancellationToken));
        return outcome!;
    }

    /// <summary>Shows how the run ended, with <paramref name="resumeCommand"/> when interrupted; returns the exit code (130 when interrupted).</summary>
    public int End(TrainingJob job, TrainingOutcome outcome, string resumeCommand)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(outcome);
        TrainingSession session = job.Session;
        if (outcome.Interrupted)
        {
            string held = session.CompletedEpochs == 0 ? "the starting weights, as no epoch finished" : $"the state after epoch {session.CompletedEpochs}";
            // The command on a line of its own, so that a narrow terminal does not wrap it where it would be copied.
            string text = $"Interrupted in epoch {session.CompletedEpochs + 1}; {outcome.OutputPath} holds {held}. Continue with:";
            if (json)
            {
                context.Error.WriteLine(text);
                context.Error.WriteLine($"  {resumeCommand}");
            }
            else
            {
                context.Console.MarkupLine($"[yellow]{Markup.Escape(text)}[/]");
                context.Console.MarkupLine($"  [bold]{Markup.Escape(resumeCommand)}[/]");
            }
            return 130;
        }
        EvaluationResult result = outcome.Result!;
        string scoredName = outcome.OnTest ? "Test" : "Validation";
        if (json)
        {
            JsonOutput.Write(context.Console, new
            {
                model = session.Definition.Name,
                file = outcome.OutputPath,
                history = session.History,
                bestEpoch = session.BestEpoch,
                monitor = session.Monitor,
                scoredOn = scoredName.ToLowerInvariant(),
                testAccuracy = outcome.OnTest ? result.Accuracy : (double?)null,
                testLoss = outcome.OnTest ? result.Loss : (double?)null,
                validationAccuracy = outcome.OnTest ? (double?)null : result.Accuracy,
                classes = session.Definition.Network.ClassNames,
                calibration = session.Calibration,
            });
            return 0;
        }
        Tables.WriteHistory(context.Console, session.History);
        context.Console.MarkupLine(
            $"Best epoch {session.BestEpoch} by {Markup.Escape(session.Monitor)}. {scoredName} accuracy [bold green]{Tables.Percent(result.Accuracy)}[/], " +
            $"loss {result.Loss.ToString("F4", CultureInfo.InvariantCulture)}. Saved {Markup.Escape(outcome.OutputPath)}.");
        if (session.Calibration is { } calibration)
        {
            context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"Calibrated on the validation split: temperature {calibration.Temperature:F3}, expected calibration error " +
                $"{calibration.ErrorBefore:P2} before and {calibration.ErrorAfter:P2} after; \"not sure\" below {calibration.Threshold:P0} confidence."));
        }
        return 0;
    }
}
