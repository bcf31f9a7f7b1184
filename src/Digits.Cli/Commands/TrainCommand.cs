using System.CommandLine;
using Digits.Core;
using Digits.Core.Data;
using Digits.Core.Models;
using Digits.Core.Training;

namespace Digits.Cli.Commands;

/// <summary>
/// <c>digits train</c>: parses the options into a <see cref="TrainingRequest"/>, runs the <see cref="TrainingJob"/> and
/// shows its progress and figures (<see cref="TrainingReport"/>).
/// </summary>
public static class TrainCommand
{
    /// <summary>Where the defaults of the recipe's options are written down.</summary>
    private const string FromRecipe = "Defaults to the network's recipe, which 'digits summary NAME' shows.";

    /// <summary>Creates the command.</summary>
    public static Command Create(CliContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var model = new Option<string?>("--model", "-m") { HelpName = "NAME|FILE", Description = $"{string.Join(", ", ModelRegistry.Names)}, or a layer-list .json file. Defaults to {TrainingRequest.DefaultModel}, or {FolderTraining.DefaultModel} with --data-dir." };
        var resume = new Option<string?>("--resume") { HelpName = "FILE", Description = "Continue training from this .digits file (its schedule, optimizer state and history)." };
        var output = new Option<string?>("--out", "-o") { HelpName = "FILE", Description = "Where to write the model. Defaults to models/MODEL.digits, or the --resume file." };
        var force = SharedOptions.Force("an existing model file at --out that this run did not start from");
        var epochs = new Option<int?>("--epochs", "-e") { Description = $"Last epoch to train to. {FromRecipe}" };
        var batchSize = new Option<int?>("--batch-size", "-b") { Description = $"Images per step. {FromRecipe}" };
        var optimizer = new Option<string?>("--optimizer") { Description = FromRecipe }.AcceptOnlyFromAmong([.. OptimizerFactory.Names]);
        var learningRate = new Option<double?>("--lr") { Description = $"Learning rate. {FromRecipe}" };
        var momentum = new Option<double?>("--momentum") { Description = $"Momentum for sgd and rmsprop. {FromRecipe}" };
        var weightDecay = new Option<double?>("--weight-decay") { Description = $"Weight decay. {FromRecipe}" };
        var schedule = new Option<string?>("--schedule") { Description = $"Learning-rate schedule. {FromRecipe}" }.AcceptOnlyFromAmong([.. LearningRateSchedule.Names]);
        var augment = SharedOptions.Augment("Augmentation of each training batch", "the model's recipe, none for --data-dir");
        var seed = new Option<long>("--seed") { Description = "Seed for weights, shuffling, dropout and the split.", DefaultValueFactory = _ => 1 };
        var validationSplit = new Option<double>("--val-split") { Description = "Share of the training set held out for validation.", DefaultValueFactory = _ => 0.1 };
        var earlyStop = new Option<int?>("--early-stop") { Description = "Stop after this many epochs without improvement. Defaults to never." };
        var monitor = new Option<string?>("--monitor") { Description = "Metric for the best checkpoint and early stopping. Defaults to val_accuracy." }.AcceptOnlyFromAmong([.. EpochMetrics.MetricNames]);
        var minDelta = new Option<double?>("--min-delta") { Description = "The smallest change of the monitored metric that counts as better, for the best checkpoint and early stopping alike. Defaults to 0." };
        var limit = new Option<int?>("--limit") { Description = "Train on the first N training images only. Defaults to all." };
        var threads = SharedOptions.Threads();
        var device = SharedOptions.Device();
        var data = SharedOptions.Data();
        var json = SharedOptions.Json();
        var dataDir = new Option<string?>("--data-dir") { HelpName = "DIR", Description = "Train on an image folder instead of MNIST: one sub-folder per class, or train/ and validation/ folders of them." };
        var imageSize = new Option<int?>("--image-size") { Description = $"With --data-dir: the side pictures are resized to. Defaults to the network's input, or {FolderTraining.DefaultImageSize} for {FolderTraining.DefaultModel} and networks made for MNIST." };
        var channels = new Option<int?>("--channels") { Description = "With --data-dir: 1 (grey) or 3 (colour). Defaults to the network's input, or 3." }.AcceptOnlyFromAmong("1", "3");
        var crop = new Option<bool>("--crop") { Description = "With --data-dir: crop pictures to their centred square before resizing (Keras's crop_to_aspect_ratio). Defaults to squashing them to the square." };
        var outputActivation = new Option<string?>("--output-activation")
        {
            Description = "With --data-dir of two classes: sigmoid (one output, binary cross-entropy) or softmax (one output per class, cross-entropy). " +
                "Defaults to the network's: sigmoid for convnet-150, softmax for the others.",
        }.AcceptOnlyFromAmong(NetworkSpec.Sigmoid, NetworkSpec.Softmax);
        var from = new Option<string?>("--from") { HelpName = "FILE", Description = $"Fine-tune this .digits model: its best weights, a fresh optimizer; {TrainingSession.FineTuneEpochs} epochs at a tenth of its learning rate unless given. Written to models/NAME-tuned.digits unless --out." };
        var extraData = new Option<string?>("--extra-data") { HelpName = "PATH", Description = "Also train on these digits, mixed into MNIST: pictures in sub-folders 0-9 (as 'digits feedback export' writes), or pen strokes (.jsonl or .jsonl.gz, as pendigits) drawn on the page's canvas." };
        var heldOut = SharedOptions.HeldOut("left out of the --extra-data strokes, to score the model on them with 'digits evaluate --strokes FILE --held-out K/N'.");
        var command = new Command("train", "Train a network on MNIST or an image folder, keep the best weights, and evaluate them.")
        {
            model, resume, output, force, epochs, batchSize, optimizer, learningRate, momentum, weightDecay, schedule,
            augment, seed, validationSplit, earlyStop, monitor, minDelta, limit, threads, device, data, json, dataDir, imageSize, channels, crop, outputActivation, from, extraData, heldOut,
        };
        command.SetAction(parse =>
        {
            string? folder = parse.GetValue(dataDir);
            if (folder is null && (parse.GetValue(imageSize) is not null || parse.GetValue(channels) is not null || parse.GetValue(crop) || parse.GetValue(outputActivation) is not null))
            {
                throw new ArgumentException("--image-size, --channels, --crop and --output-activation shape a network for an image folder; give --data-dir too.");
            }
            Runtime.Configure(parse.GetValue(threads));
            var request = new TrainingRequest
            {
                Model = parse.GetValue(model),
                Resume = parse.GetValue(resume),
                FineTuneFrom = parse.GetValue(from),
                Output = parse.GetValue(output),
                Force = parse.GetValue(force),
                Options = new TrainingOptions
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
                    MinDelta = parse.GetValue(minDelta),
                    Limit = parse.GetValue(limit),
                },
                MnistDirectory = MnistFiles.ResolveDirectory(parse.GetValue(data)),
                ExtraDigits = parse.GetValue(extraData),
                HeldOut = parse.GetValue(heldOut) is { } fold ? WriterFold.Parse(fold) : null,
                Folder = folder is null ? null : new FolderRequest(folder, parse.GetValue(imageSize), parse.GetValue(channels), parse.GetValue(crop), parse.GetValue(outputActivation)),
                Device = Devices.Select(parse.GetValue(device)!),
            };
            var report = new TrainingReport(context, parse.GetValue(json));
            using TrainingJob job = TrainingJob.Open(request, report.Notice);
            TrainingOutcome outcome = report.Fit(job, cancellationToken);
            return report.End(job, outcome, ResumeCommand(parse, job.OutputPath, data, dataDir, extraData, heldOut, earlyStop, device, threads));
        });
        return command;
    }

    /// <summary>
    /// The command that continues this run where it stopped: <c>--resume</c> with the file, and those of
    /// <paramref name="notKept"/> that were given, as given; the model file keeps the recipe, the split and the history, not these.
    /// </summary>
    private static string ResumeCommand(ParseResult parse, string path, params Option[] notKept)
    {
        var words = new List<string> { "digits", "train", "--resume", Quote(path) };
        foreach (Option option in notKept)
        {
            if (parse.GetResult(option) is { Implicit: false } given)
            {
                words.Add(option.Name);
                words.AddRange(given.Tokens.Select(token => Quote(token.Value)));
            }
        }
        return string.Join(' ', words);
    }

    /// <summary>A word as a shell reads it back: quoted when it holds spaces or quotes.</summary>
    private static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=+,@%".Contains(c)) ? word : $"'{word.Replace("'", "'\\''", StringComparison.Ordinal)}'";
}
