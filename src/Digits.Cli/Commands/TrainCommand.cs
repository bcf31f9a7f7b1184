using System.CommandLine;
using System.Globalization;
using Digits.Core;
using Digits.Core.Data;
using Digits.Core.Evaluation;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Digits.Core.Training;
using Spectre.Console;
using TorchSharp;

namespace Digits.Cli.Commands;

/// <summary><c>digits train</c>: trains a network on MNIST, checkpointing the best weights, then evaluates it on the test set.</summary>
public static class TrainCommand
{
    /// <summary>The network trained when neither --model nor --resume is given.</summary>
    public const string DefaultModel = "lenet";

    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var model = new Option<string?>("--model", "-m") { Description = $"{string.Join(", ", ModelRegistry.Names)}, or a layer-list .json file. Defaults to {DefaultModel}." };
        var resume = new Option<string?>("--resume") { Description = "Continue training from this .digits file (its schedule, optimizer state and history)." };
        var output = new Option<string?>("--out", "-o") { Description = "Where to write the model. Defaults to models/MODEL.digits, or the --resume file." };
        var epochs = new Option<int?>("--epochs", "-e") { Description = "Last epoch to train to. Defaults to the model's recipe." };
        var batchSize = new Option<int?>("--batch-size", "-b") { Description = "Images per step. Defaults to the model's recipe." };
        var optimizer = new Option<string?>("--optimizer") { Description = "Defaults to the model's recipe." }.AcceptOnlyFromAmong([.. OptimizerFactory.Names]);
        var learningRate = new Option<double?>("--lr") { Description = "Learning rate. Defaults to the model's recipe." };
        var momentum = new Option<double?>("--momentum") { Description = "Momentum for sgd and rmsprop. Defaults to the model's recipe." };
        var weightDecay = new Option<double?>("--weight-decay") { Description = "Weight decay. Defaults to the model's recipe." };
        var schedule = new Option<string?>("--schedule") { Description = "Learning-rate schedule. Defaults to the model's recipe." }.AcceptOnlyFromAmong([.. LearningRateSchedule.Names]);
        var augment = new Option<string?>("--augment") { Description = "Augmentation of each training batch: none, or digits (rotation, slant, zoom, shifts, elastic, stroke width). Defaults to the model's recipe." }.AcceptOnlyFromAmong([.. Augmentation.Names]);
        var seed = new Option<long>("--seed") { Description = "Seed for weights, shuffling, dropout and the split. Defaults to 1.", DefaultValueFactory = _ => 1 };
        var validationSplit = new Option<double>("--val-split") { Description = "Share of the training set held out for validation. Defaults to 0.1.", DefaultValueFactory = _ => 0.1 };
        var earlyStop = new Option<int?>("--early-stop") { Description = "Stop after this many epochs without improvement. Defaults to never." };
        var monitor = new Option<string?>("--monitor") { Description = "Metric for the best checkpoint and early stopping. Defaults to val_accuracy." }.AcceptOnlyFromAmong([.. EpochMetrics.MetricNames]);
        var limit = new Option<int?>("--limit") { Description = "Train on the first N training images only. Defaults to all." };
        var threads = SharedOptions.Threads();
        var device = SharedOptions.Device();
        var data = SharedOptions.Data();
        var json = SharedOptions.Json();
        var command = new Command("train", "Train a network on MNIST, keep the best weights, and evaluate them on the test set.")
        {
            model, resume, output, epochs, batchSize, optimizer, learningRate, momentum, weightDecay, schedule,
            augment, seed, validationSplit, earlyStop, monitor, limit, threads, device, data, json,
        };
        command.SetAction(parse =>
        {
            var options = new TrainingOptions
            {
                Epochs = parse.GetValue(epochs),
                BatchSize = parse.GetValue(batchSize),
                Optimizer = parse.GetValue(optimizer),
                LearningRate = parse.GetValue(learningRate),
                Momentum = parse.GetValue(momentum),
                WeightDecay = parse.GetValue(weightDecay),
                Schedule = parse.GetValue(schedule),
                Augment = parse.GetValue(augment),
                Seed = parse.GetValue(seed),
                ValidationSplit = parse.GetValue(validationSplit),
                EarlyStopPatience = parse.GetValue(earlyStop),
                Monitor = parse.GetValue(monitor),
                Limit = parse.GetValue(limit),
            };
            var run = new TrainRun(
                context, parse.GetValue(model), parse.GetValue(resume), parse.GetValue(output), options,
                parse.GetValue(threads), parse.GetValue(device)!, MnistFiles.ResolveDirectory(parse.GetValue(data)), parse.GetValue(json));
            return run.Execute(cancellationToken);
        });
        return command;
    }

    private sealed record TrainRun(
        CliContext Context, string? Model, string? Resume, string? Output, TrainingOptions Options,
        int? Threads, string DeviceName, string DataDirectory, bool Json)
    {
        public int Execute(CancellationToken cancellationToken)
        {
            Runtime.Configure(Threads);
            torch.Device device = Devices.Select(DeviceName);
            using TrainingSession session = OpenSession(device);
            string outputPath = Output ?? Resume ?? Path.Combine("models", session.Definition.Name + ModelFile.Extension);

            (MnistDataset loadedTrain, MnistDataset? loadedValidation) = LoadTraining(session);
            using MnistDataset train = loadedTrain;
            using MnistDataset? validation = loadedValidation;
            using MnistDataset test = MnistDataset.Load(DataDirectory, MnistSplit.Test);
            var callbacks = new List<TrainingCallback> { new ModelCheckpoint(s => ModelFile.Save(outputPath, s)) };
            if (Options.EarlyStopPatience is int patience)
            {
                callbacks.Add(new EarlyStopping(session.Monitor, patience));
            }
            Fit(session, train, validation, callbacks, cancellationToken);

            if (session.Interrupted)
            {
                Context.Console.MarkupLine(
                    $"[yellow]Interrupted in epoch {session.CompletedEpochs + 1}; {Markup.Escape(outputPath)} holds the state after epoch {session.CompletedEpochs}. " +
                    $"Continue with: digits train --resume {Markup.Escape(outputPath)}[/]");
                return 130;
            }

            EvaluationResult result;
            using (DigitsNetwork best = session.CreateBestNetwork())
            {
                best.to(device);
                result = Evaluator.Evaluate(best, test, device);
                if (validation is not null)
                {
                    using torch.Tensor logits = Evaluator.Logits(best, validation, device);
                    session.Calibration = Calibration.Fit(logits, validation.Labels);
                }
            }
            ModelFile.Save(outputPath, session, new Dictionary<string, double> { [ModelManifest.TestAccuracy] = result.Accuracy, [ModelManifest.TestLoss] = result.Loss });
            Report(session, result, outputPath);
            return 0;
        }

        /// <summary>The training set and, with a validation split, the held-out part; the whole set is freed once split.</summary>
        private (MnistDataset Train, MnistDataset? Validation) LoadTraining(TrainingSession session)
        {
            MnistDataset all = MnistDataset.Load(DataDirectory, MnistSplit.Train, session.Limit);
            if (session.ValidationSplit <= 0)
            {
                return (all, null);
            }
            using (all)
            {
                return all.Split(session.ValidationSplit, session.Seed);
            }
        }

        private TrainingSession OpenSession(torch.Device device)
        {
            if (Resume is null)
            {
                return TrainingSession.Start(ModelRegistry.Get(Model ?? DefaultModel), Options, device);
            }
            SavedModel saved = ModelFile.Load(Resume);
            if (Model is not null && Model != saved.Manifest.Model)
            {
                throw new ArgumentException(
                    $"'{Resume}' is a checkpoint of '{saved.Manifest.Model}', not '{Model}'; drop --model to resume it, or start a new run without --resume.");
            }
            return saved.Resume(Options, device);
        }

        private void Fit(TrainingSession session, MnistDataset train, MnistDataset? validation, List<TrainingCallback> callbacks, CancellationToken cancellationToken)
        {
            if (Json)
            {
                Trainer.Fit(session, train, validation, callbacks, cancellationToken);
                return;
            }
            Context.Console.MarkupLine(
                $"Training [bold]{Markup.Escape(session.Definition.Name)}[/] on {train.Count:N0} images ({validation?.Count ?? 0:N0} for validation), " +
                $"{Markup.Escape(session.Recipe.Optimizer)} lr {session.Recipe.LearningRate.ToString("G4", CultureInfo.InvariantCulture)}, batch {session.Recipe.BatchSize}, " +
                $"epochs {session.CompletedEpochs + 1}-{session.Recipe.Epochs}, schedule {Markup.Escape(session.Recipe.Schedule)}, augmentation {Markup.Escape(session.Recipe.Augment)}, device {session.Device.type}.");
            // Rendered from the training thread (TrainingProgress calls Refresh), so no render thread competes
            // with libtorch's workers for the cores.
            Context.Console.Progress()
                .AutoClear(false)
                .AutoRefresh(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(progress =>
                {
                    callbacks.Insert(0, new TrainingProgress(progress));
                    Trainer.Fit(session, train, validation, callbacks, cancellationToken);
                });
        }

        private void Report(TrainingSession session, EvaluationResult result, string outputPath)
        {
            if (Json)
            {
                JsonOutput.Write(Context.Console, new
                {
                    model = session.Definition.Name,
                    file = outputPath,
                    history = session.History,
                    bestEpoch = session.BestEpoch,
                    monitor = session.Monitor,
                    testAccuracy = result.Accuracy,
                    testLoss = result.Loss,
                    calibration = session.Calibration,
                });
                return;
            }
            Tables.WriteHistory(Context.Console, session.History);
            Context.Console.MarkupLine(
                $"Best epoch {session.BestEpoch} by {Markup.Escape(session.Monitor)}. Test accuracy [bold green]{Tables.Percent(result.Accuracy)}[/], " +
                $"loss {result.Loss.ToString("F4", CultureInfo.InvariantCulture)}. Saved {Markup.Escape(outputPath)}.");
            if (session.Calibration is { } calibration)
            {
                Context.Console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                    $"Calibrated on the validation split: temperature {calibration.Temperature:F3}, expected calibration error " +
                    $"{calibration.ErrorBefore:P2} before and {calibration.ErrorAfter:P2} after; \"not sure\" below {calibration.Threshold:P0} confidence."));
            }
        }
    }
}
