using System.CommandLine;
using System.Globalization;
using Digits.Core;
using Digits.Core.Data;
using Digits.Core.Evaluation;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Digits.Core.Preprocessing;
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
        var augment = SharedOptions.Augment("Augmentation of each training batch", "the model's recipe, none for --data-dir");
        var seed = new Option<long>("--seed") { Description = "Seed for weights, shuffling, dropout and the split. Defaults to 1.", DefaultValueFactory = _ => 1 };
        var validationSplit = new Option<double>("--val-split") { Description = "Share of the training set held out for validation. Defaults to 0.1.", DefaultValueFactory = _ => 0.1 };
        var earlyStop = new Option<int?>("--early-stop") { Description = "Stop after this many epochs without improvement. Defaults to never." };
        var monitor = new Option<string?>("--monitor") { Description = "Metric for the best checkpoint and early stopping. Defaults to val_accuracy." }.AcceptOnlyFromAmong([.. EpochMetrics.MetricNames]);
        var limit = new Option<int?>("--limit") { Description = "Train on the first N training images only. Defaults to all." };
        var threads = SharedOptions.Threads();
        var device = SharedOptions.Device();
        var data = SharedOptions.Data();
        var json = SharedOptions.Json();
        var dataDir = new Option<string?>("--data-dir") { Description = "Train on an image folder instead of MNIST: one sub-folder per class, or train/ and validation/ folders of them." };
        var imageSize = new Option<int?>("--image-size") { Description = $"With --data-dir: the side pictures are resized to. Defaults to the network's input, or {FolderImageSize} for networks made for MNIST." };
        var channels = new Option<int?>("--channels") { Description = "With --data-dir: 1 (grey) or 3 (colour). Defaults to the network's input, or 3 for networks made for MNIST." }.AcceptOnlyFromAmong("1", "3");
        var crop = new Option<bool>("--crop") { Description = "With --data-dir: crop pictures to their centred square before resizing (Keras's crop_to_aspect_ratio). Defaults to squashing them to the square." };
        var outputActivation = new Option<string?>("--output-activation")
        {
            Description = "With --data-dir of two classes: sigmoid (one output, binary cross-entropy) or softmax (one output per class, cross-entropy). " +
                "Defaults to the network's: sigmoid for convnet-150, softmax for the others.",
        }.AcceptOnlyFromAmong(NetworkSpec.Sigmoid, NetworkSpec.Softmax);
        var from = new Option<string?>("--from") { Description = $"Fine-tune this .digits model: its best weights, a fresh optimizer; {TrainingSession.FineTuneEpochs} epochs at a tenth of its learning rate unless given. Written to models/NAME-tuned.digits unless --out." };
        var extraData = new Option<string?>("--extra-data") { Description = "Also train on these digit pictures (sub-folders 0-9, as 'digits feedback export' writes), mixed into MNIST." };
        var command = new Command("train", "Train a network on MNIST or an image folder, keep the best weights, and evaluate them.")
        {
            model, resume, output, epochs, batchSize, optimizer, learningRate, momentum, weightDecay, schedule,
            augment, seed, validationSplit, earlyStop, monitor, limit, threads, device, data, json, dataDir, imageSize, channels, crop, outputActivation, from, extraData,
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
            string? folder = parse.GetValue(dataDir);
            if (folder is null && (parse.GetValue(imageSize) is not null || parse.GetValue(channels) is not null || parse.GetValue(crop) || parse.GetValue(outputActivation) is not null))
            {
                throw new ArgumentException("--image-size, --channels, --crop and --output-activation shape a network for an image folder; give --data-dir too.");
            }
            var run = new TrainRun(
                context, parse.GetValue(model), parse.GetValue(resume), parse.GetValue(output), options,
                parse.GetValue(threads), parse.GetValue(device)!, MnistFiles.ResolveDirectory(parse.GetValue(data)), parse.GetValue(json),
                folder is null ? null : new FolderData(folder, parse.GetValue(imageSize), parse.GetValue(channels), parse.GetValue(crop), parse.GetValue(outputActivation)),
                parse.GetValue(from), parse.GetValue(extraData));
            return run.Execute(cancellationToken);
        });
        return command;
    }

    /// <summary>The side of folder pictures for a network made for MNIST's 28x28 digits, unless --image-size says otherwise.</summary>
    private const int FolderImageSize = 64;

    /// <summary>An image folder to train on; how its pictures are read and the output's activation, when given.</summary>
    private sealed record FolderData(string Directory, int? ImageSize, int? Channels, bool Crop, string? OutputActivation);

    private sealed record TrainRun(
        CliContext Context, string? Model, string? Resume, string? Output, TrainingOptions Options,
        int? Threads, string DeviceName, string DataDirectory, bool Json, FolderData? Folder, string? From, string? ExtraData)
    {
        /// <summary>Extra digits make about this share of each epoch, so that they count without crowding out MNIST.</summary>
        private const double ExtraShare = 0.1;

        /// <summary>The most times one extra digit is repeated in an epoch.</summary>
        private const int MaxExtraRepeats = 50;

        public int Execute(CancellationToken cancellationToken)
        {
            Runtime.Configure(Threads);
            torch.Device device = Devices.Select(DeviceName);
            if (From is not null && (Resume is not null || Model is not null))
            {
                throw new ArgumentException("--from starts a new run from a model's weights; it goes with neither --resume nor --model.");
            }
            if (Folder is not null)
            {
                return From is null && ExtraData is null
                    ? ExecuteOnFolder(Folder, device, cancellationToken)
                    : throw new ArgumentException("--from and --extra-data fine-tune digit models on MNIST; they do not go with --data-dir.");
            }
            using TrainingSession session = From is null ? OpenSession(device, resumed: null, fresh: null) : TrainingSession.FineTune(ModelFile.Load(From), Options, device);
            // A fine-tuned model never replaces the one it started from unless --out says so.
            string outputPath = Output ?? Resume ?? Path.Combine("models", session.Definition.Name + (From is null ? "" : "-tuned") + ModelFile.Extension);
            NetworkSpec network = session.Definition.Network;
            if (network.ClassNames is not null || network.Input is not [1, MnistGeometry.Size, MnistGeometry.Size])
            {
                string classes = network.ClassNames is null ? $"{network.Classes} classes" : string.Join(", ", network.ClassNames);
                throw new ArgumentException(
                    $"{session.Definition.Name} takes {string.Join("x", network.Input)} pictures of {classes}, not MNIST's digits; train it on an image folder with --data-dir.");
            }
            if (Augmentation.Parse(session.Recipe.Augment) is { HorizontalFlip: true })
            {
                Notice("flip mirrors half the digits, and a mirrored 2, 3, 4, 7 or 9 is no digit anyone writes; it is meant for photos.");
            }

            (MnistDataset loadedTrain, MnistDataset? loadedValidation) = LoadTraining(session);
            using MnistDataset train = ExtraData is null ? loadedTrain : MixExtra(loadedTrain, ExtraData);
            using MnistDataset? validation = loadedValidation;
            using MnistDataset test = MnistDataset.Load(DataDirectory, MnistSplit.Test);
            return TrainAndSave(session, outputPath, train, validation, test, cancellationToken);
        }

        /// <summary>
        /// Training on an image folder: the network takes the folder's picture size, channels and classes; the
        /// best weights are scored on the validation images (there is no separate test set).
        /// </summary>
        private int ExecuteOnFolder(FolderData folder, torch.Device device, CancellationToken cancellationToken)
        {
            SavedModel? resumed = Resume is null ? null : ModelFile.Load(Resume);
            ModelDefinition? fresh = resumed is null ? ModelRegistry.Get(Model ?? DefaultModel) : null;
            NetworkSpec start = resumed?.Manifest.Network ?? fresh!.Network;
            // A new network made for MNIST's digits takes the usual folder size; one made for pictures, or resumed, keeps its own.
            bool forDigits = resumed is null && start.Input is [1, MnistGeometry.Size, MnistGeometry.Size];
            if (resumed is not null)
            {
                EnsureResumable(resumed, folder);
            }
            else if (forDigits)
            {
                // Digit networks' recipes augment digits; pictures start from none. Picture networks keep their recipe's.
                Options.Augment ??= "none";
            }
            if (Augmentation.Parse(Options.Augment ?? resumed?.Manifest.Recipe.Augment ?? fresh!.Recipe.Augment) is { WritingStyles: true })
            {
                throw new ArgumentException(
                    "Writing styles (in --augment digits) are made for handwritten digits: they draw flags on 1s and bars on 7s. " +
                    "Use --augment photos, none, or options without styles with --data-dir.");
            }
            // A resumed run's options, when given, are its own (EnsureResumable refused others).
            int size = folder.ImageSize ?? (forDigits ? FolderImageSize : start.Input[2]);
            int channels = folder.Channels ?? (forDigits ? 3 : start.Input[0]);
            bool crop = resumed is null ? folder.Crop : start.CropToSquare;
            string trainFolder = Path.Combine(folder.Directory, "train");
            string validationFolder = Path.Combine(folder.Directory, "validation");
            bool separate = Directory.Exists(trainFolder) && Directory.Exists(validationFolder);
            // A resumed network must see its own classes, in its own order.
            using ImageFolder all = ImageFolder.Load(separate ? trainFolder : folder.Directory, new PictureFormat(size, channels, crop), resumed is null ? null : start.ClassNames);
            using ImageFolder? given = separate ? ImageFolder.Load(validationFolder, new PictureFormat(size, channels, crop), all.Classes) : null;
            NoticeSkipped(all.Skipped.Concat(given?.Skipped ?? []));
            string output = folder.OutputActivation ?? (all.Classes.Count == 2 ? start.Output : NetworkSpec.Softmax);
            if (output == NetworkSpec.Sigmoid && all.Classes.Count != 2)
            {
                throw new ArgumentException(
                    $"A sigmoid output tells two classes apart, and {folder.Directory} has {all.Classes.Count} ({string.Join(", ", all.Classes)}); use --output-activation softmax.");
            }
            using TrainingSession session = OpenSession(device, resumed, fresh is null ? null : fresh with
            {
                Network = fresh.Network with
                {
                    Input = [channels, size, size],
                    Classes = all.Classes.Count,
                    ClassNames = all.Classes,
                    Output = output,
                    CropToSquare = crop,
                    // The built-in networks end in a dense layer of ten, one per digit: one per class here, or one for a sigmoid.
                    Layers = fresh.Network.Layers[^1] is DenseLayer last
                        ? [.. fresh.Network.Layers.SkipLast(1), last with { Units = output == NetworkSpec.Sigmoid ? 1 : all.Classes.Count }]
                        : fresh.Network.Layers,
                },
                // MNIST's mean and standard deviation mean nothing for these pictures.
                Normalization = null,
            });
            string outputPath = Output ?? Resume ?? Path.Combine("models", session.Definition.Name + ModelFile.Extension);
            MnistDataset train;
            MnistDataset validation;
            if (given is not null)
            {
                (train, validation) = (all.Data, given.Data);
            }
            else
            {
                if (session.ValidationSplit <= 0)
                {
                    throw new ArgumentException("An image folder without train/ and validation/ folders needs --val-split above 0 to score the model.");
                }
                // The folder's images are freed once split, so they are not held twice while training.
                (train, validation) = SplitOff(all.Data, session);
            }
            try
            {
                return TrainAndSave(session, outputPath, train, validation, test: null, cancellationToken);
            }
            finally
            {
                if (given is null)
                {
                    train.Dispose();
                    validation.Dispose();
                }
            }
        }

        /// <summary>
        /// Trains, then scores the best weights on <paramref name="test"/>, or on the validation images when there is no
        /// test set (image folders), calibrates them on the validation images, and saves the file.
        /// </summary>
        private int TrainAndSave(
            TrainingSession session, string outputPath, MnistDataset train, MnistDataset? validation, MnistDataset? test, CancellationToken cancellationToken)
        {
            torch.Device device = session.Device;
            var callbacks = new List<TrainingCallback> { new ModelCheckpoint(s => s.Save(outputPath)) };
            if (Options.EarlyStopPatience is int patience)
            {
                callbacks.Add(new EarlyStopping(patience));
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
            using (torch.NewDisposeScope())
            {
                best.to(device);
                torch.Tensor? logits = validation is null ? null : Evaluator.Logits(best, validation, device);
                // Without a test set, the validation images' logits serve scoring and calibration alike.
                result = test is not null
                    ? Evaluator.Evaluate(best, test, device)
                    : Evaluator.Score(logits!, validation!.Labels.cpu(), best.Definition.Network.Classes);
                if (logits is not null)
                {
                    session.Calibration = Calibrator.Fit(logits, validation!.Labels);
                }
            }
            bool onTest = test is not null;
            session.Save(outputPath, new Dictionary<string, double>
            {
                [onTest ? ModelManifest.TestAccuracy : ModelManifest.ValidationAccuracy] = result.Accuracy,
                [onTest ? ModelManifest.TestLoss : ModelManifest.ValidationLoss] = result.Loss,
            });
            Report(session, result, outputPath, onTest);
            return 0;
        }

        /// <summary>Refuses to resume a digit model on a folder, or with options that would read its pictures otherwise.</summary>
        private void EnsureResumable(SavedModel resumed, FolderData folder)
        {
            NetworkSpec network = resumed.Manifest.Network;
            if (network.ClassNames is null)
            {
                throw new ArgumentException($"'{Resume}' was trained on MNIST's digits; resume it without --data-dir.");
            }
            (string Option, bool Differs, string Kept)[] changes =
            [
                ("--image-size", folder.ImageSize is int size && size != network.Input[2], $"{network.Input[2]}"),
                ("--channels", folder.Channels is int channels && channels != network.Input[0], $"{network.Input[0]}"),
                ("--crop", folder.Crop && !network.CropToSquare, "not cropped"),
                ("--output-activation", folder.OutputActivation is string output && output != network.Output, network.Output),
            ];
            if (changes.FirstOrDefault(c => c.Differs) is { Differs: true } change)
            {
                throw new ArgumentException(
                    $"'{Resume}' keeps its own {change.Option[2..]} ({change.Kept}); a resumed network reads pictures as it was trained to, so drop {change.Option}.");
            }
        }

        /// <summary>A line for the person watching: on the console, or on stderr when the console carries JSON.</summary>
        private void Notice(string text)
        {
            if (Json)
            {
                Context.Error.WriteLine(text);
                return;
            }
            Context.Console.MarkupLine($"[yellow]{Markup.Escape(text)}[/]");
        }

        /// <summary>One notice per file that could not be read, with why.</summary>
        private void NoticeSkipped(IEnumerable<SkippedFile> skipped)
        {
            foreach (SkippedFile file in skipped)
            {
                Notice($"Skipped {file.Path}: {file.Reason}");
            }
        }

        /// <summary>MNIST's training images with the extra digits mixed in, repeated to make about <see cref="ExtraShare"/> of them; frees <paramref name="mnist"/>.</summary>
        private MnistDataset MixExtra(MnistDataset mnist, string directory)
        {
            using (mnist)
            {
                (MnistDataset extra, IReadOnlyList<SkippedFile> skipped) = DigitFolder.Load(directory);
                using (extra)
                {
                    NoticeSkipped(skipped);
                    int repeats = Math.Clamp((int)Math.Round(ExtraShare * mnist.Count / extra.Count), 1, MaxExtraRepeats);
                    Notice($"Mixing {extra.Count:N0} extra digits, each {repeats} times, into {mnist.Count:N0} MNIST images.");
                    return mnist.Mix(extra, repeats);
                }
            }
        }

        /// <summary>The training set and, with a validation split, the held-out part; the whole set is freed once split.</summary>
        private (MnistDataset Train, MnistDataset? Validation) LoadTraining(TrainingSession session)
        {
            MnistDataset all = MnistDataset.Load(DataDirectory, MnistSplit.Train, session.Limit);
            return session.ValidationSplit <= 0 ? (all, null) : SplitOff(all, session);
        }

        /// <summary>The session's validation share split off <paramref name="all"/>, which is freed once split.</summary>
        private static (MnistDataset Train, MnistDataset Validation) SplitOff(MnistDataset all, TrainingSession session)
        {
            using (all)
            {
                return all.Split(session.ValidationSplit, session.Seed);
            }
        }

        /// <summary>
        /// A new session of <paramref name="fresh"/>, or of --model when it is null; or, with --resume, the run resumed
        /// (<paramref name="resumed"/> when read already).
        /// </summary>
        private TrainingSession OpenSession(torch.Device device, SavedModel? resumed, ModelDefinition? fresh)
        {
            if (Resume is null)
            {
                return TrainingSession.Start(fresh ?? ModelRegistry.Get(Model ?? DefaultModel), Options, device);
            }
            SavedModel saved = resumed ?? ModelFile.Load(Resume);
            if (Model is not null && Model != saved.Manifest.Model)
            {
                throw new ArgumentException(
                    $"'{Resume}' is a checkpoint of '{saved.Manifest.Model}', not '{Model}'; drop --model to resume it, or start a new run without --resume.");
            }
            return TrainingSession.Resume(saved, Options, device);
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

        private void Report(TrainingSession session, EvaluationResult result, string outputPath, bool onTest)
        {
            string scoredName = onTest ? "Test" : "Validation";
            if (Json)
            {
                JsonOutput.Write(Context.Console, new
                {
                    model = session.Definition.Name,
                    file = outputPath,
                    history = session.History,
                    bestEpoch = session.BestEpoch,
                    monitor = session.Monitor,
                    scoredOn = scoredName.ToLowerInvariant(),
                    testAccuracy = onTest ? result.Accuracy : (double?)null,
                    testLoss = onTest ? result.Loss : (double?)null,
                    validationAccuracy = onTest ? (double?)null : result.Accuracy,
                    classes = session.Definition.Network.ClassNames,
                    calibration = session.Calibration,
                });
                return;
            }
            Tables.WriteHistory(Context.Console, session.History);
            Context.Console.MarkupLine(
                $"Best epoch {session.BestEpoch} by {Markup.Escape(session.Monitor)}. {scoredName} accuracy [bold green]{Tables.Percent(result.Accuracy)}[/], " +
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
