using Digits.Core.Data;
using Digits.Core.Evaluation;
using Digits.Core.Models;
using Digits.Core.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace Digits.Core.Training;

/// <summary>
/// A training run from a request to a saved model: the session (new, resumed or fine-tuned), its data, checkpoints
/// after every epoch, then the best weights scored (on the MNIST test set, or an image folder's validation pictures),
/// calibrated on the validation pictures and saved. Open it, look at what it will do, then <see cref="Run"/> it.
/// </summary>
public sealed class TrainingJob : IDisposable
{
    /// <summary>Extra digits make about this share of each epoch, so that they count without crowding out MNIST.</summary>
    private const double ExtraShare = 0.1;

    /// <summary>The most times one extra digit is repeated in an epoch.</summary>
    private const int MaxExtraRepeats = 50;

    private readonly MnistDataset _train;
    private readonly MnistDataset? _validation;
    private readonly MnistDataset? _test;
    private readonly int? _earlyStopPatience;

    private TrainingJob(TrainingSession session, string outputPath, MnistDataset train, MnistDataset? validation, MnistDataset? test, int? earlyStopPatience)
    {
        Session = session;
        OutputPath = outputPath;
        _train = train;
        _validation = validation;
        _test = test;
        _earlyStopPatience = earlyStopPatience;
    }

    /// <summary>The run: network, recipe, history so far.</summary>
    public TrainingSession Session { get; }

    /// <summary>Where the model is written, before the first epoch and after every one.</summary>
    public string OutputPath { get; }

    /// <summary>Training images per epoch.</summary>
    public int TrainCount => _train.Count;

    /// <summary>Validation images, 0 without a validation set.</summary>
    public int ValidationCount => _validation?.Count ?? 0;

    /// <summary>True when the best weights are scored on a test set (MNIST's), false when on the validation pictures (image folders).</summary>
    public bool ScoresOnTest => _test is not null;

    /// <summary>
    /// Opens the run <paramref name="request"/> asks for: builds or reads the session, loads and splits its data, checks
    /// that they fit. Nothing is trained or written yet.
    /// </summary>
    /// <param name="request">What to train.</param>
    /// <param name="notice">Receives lines for the person watching: skipped files, mixed-in digits, warnings.</param>
    /// <exception cref="ArgumentException">Options that contradict each other or the model.</exception>
    /// <exception cref="FileNotFoundException">A data folder or model file is missing.</exception>
    /// <exception cref="InvalidDataException">A model or data file is damaged.</exception>
    public static TrainingJob Open(TrainingRequest request, Action<string> notice)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(notice);
        if (request.FineTuneFrom is not null && (request.Resume is not null || request.Model is not null))
        {
            throw new ArgumentException("--from starts a new run from a model's weights; it goes with neither --resume nor --model.");
        }
        if (request.Folder is not null)
        {
            return request.FineTuneFrom is null && request.ExtraDigits is null
                ? FolderTraining.Open(request, notice, (session, output, train, validation) => new TrainingJob(session, output, train, validation, null, request.Options.EarlyStopPatience))
                : throw new ArgumentException("--from and --extra-data fine-tune digit models on MNIST; they do not go with --data-dir.");
        }
        TrainingSession session = OpenOnMnist(request);
        try
        {
            string output = request.OutputFor(session.Definition.Name);
            if (Augmentation.Parse(session.Recipe.Augment) is { HorizontalFlip: true })
            {
                notice("flip mirrors half the digits, and a mirrored 2, 3, 4, 7 or 9 is no digit anyone writes; it is meant for photos.");
            }
            (MnistDataset train, MnistDataset? validation) = LoadMnist(request, session, notice);
            MnistDataset test = MnistDataset.Load(request.MnistDirectory, MnistSplit.Test);
            return new TrainingJob(session, output, train, validation, test, request.Options.EarlyStopPatience);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Trains to the recipe's last epoch, saving the file before the first epoch and after every one; then, unless
    /// cancelled, scores the best weights, calibrates them on the validation pictures and saves them with their figures.
    /// </summary>
    /// <param name="callbacks">Called at each hook after the job's own (progress display, for instance).</param>
    /// <param name="cancellationToken">Stops after the current step; the file keeps the last finished epoch.</param>
    public TrainingOutcome Run(IReadOnlyList<TrainingCallback> callbacks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callbacks);
        var all = new List<TrainingCallback>(callbacks) { new ModelCheckpoint(s => s.Save(OutputPath)) };
        if (_earlyStopPatience is int patience)
        {
            all.Add(new EarlyStopping(patience));
        }
        Trainer.Fit(Session, _train, _validation, all, cancellationToken);
        if (Session.Interrupted)
        {
            return new TrainingOutcome(OutputPath, null, ScoresOnTest, Interrupted: true);
        }
        EvaluationResult result;
        using (DigitsNetwork best = Session.CreateBestNetwork())
        using (NewDisposeScope())
        {
            best.to(Session.Device);
            Tensor? logits = _validation is null ? null : Evaluator.Logits(best, _validation, Session.Device);
            // Without a test set, the validation pictures' logits serve scoring and calibration alike.
            result = _test is not null
                ? Evaluator.Evaluate(best, _test, Session.Device)
                : Evaluator.Score(logits!, _validation!.Labels.cpu(), best.Definition.Network.Classes);
            if (logits is not null)
            {
                Session.Calibration = Calibrator.Fit(logits, _validation!.Labels);
            }
        }
        Session.Save(OutputPath, new Dictionary<string, double>
        {
            [ScoresOnTest ? ModelManifest.TestAccuracy : ModelManifest.ValidationAccuracy] = result.Accuracy,
            [ScoresOnTest ? ModelManifest.TestLoss : ModelManifest.ValidationLoss] = result.Loss,
        });
        return new TrainingOutcome(OutputPath, result, ScoresOnTest, Interrupted: false);
    }

    /// <summary>A new session of the request's network, the resumed one, or one fine-tuning the request's model; checked to read MNIST's digits.</summary>
    private static TrainingSession OpenOnMnist(TrainingRequest request)
    {
        TrainingSession session = request switch
        {
            { FineTuneFrom: string from } => TrainingSession.FineTune(ModelFile.Load(from), request.Options, request.Device),
            { Resume: string resume } => Resume(resume, request),
            _ => TrainingSession.Start(ModelRegistry.Get(request.Model ?? TrainingRequest.DefaultModel), request.Options, request.Device),
        };
        NetworkSpec network = session.Definition.Network;
        if (network.ClassNames is not null || network.Input is not [1, 28, 28])
        {
            string classes = network.ClassNames is null ? $"{network.Classes} classes" : string.Join(", ", network.ClassNames);
            session.Dispose();
            throw new ArgumentException(
                $"{session.Definition.Name} takes {string.Join("x", network.Input)} pictures of {classes}, not MNIST's digits; train it on an image folder with --data-dir.");
        }
        return session;
    }

    /// <summary>The run <paramref name="path"/> holds, resumed, after checking that --model, if given, names its network.</summary>
    internal static TrainingSession Resume(string path, TrainingRequest request, SavedModel? saved = null)
    {
        saved ??= ModelFile.Load(path);
        if (request.Model is not null && request.Model != saved.Manifest.Model)
        {
            throw new ArgumentException(
                $"'{path}' is a checkpoint of '{saved.Manifest.Model}', not '{request.Model}'; drop --model to resume it, or start a new run without --resume.");
        }
        TrainingSession session = TrainingSession.Resume(saved, request.Options, request.Device);
        if (session.CompletedEpochs >= session.Recipe.Epochs)
        {
            int done = session.CompletedEpochs;
            session.Dispose();
            // Nothing would be trained, and the file would be written again for nothing.
            throw new ArgumentException(
                $"'{path}' is already at epoch {done}, and --epochs is the last epoch to reach, not how many more: give --epochs {done + 5} to train five more.");
        }
        return session;
    }

    /// <summary>MNIST's training images with the session's limit and split, the extra digits mixed into the training part.</summary>
    private static (MnistDataset Train, MnistDataset? Validation) LoadMnist(TrainingRequest request, TrainingSession session, Action<string> notice)
    {
        MnistDataset all = MnistDataset.Load(request.MnistDirectory, MnistSplit.Train, session.Limit);
        (MnistDataset train, MnistDataset? validation) = session.ValidationSplit <= 0 ? (all, null) : SplitOff(all, session);
        return request.ExtraDigits is null ? (train, validation) : (MixExtra(train, request, notice), validation);
    }

    /// <summary>The session's validation share split off <paramref name="all"/>, which is freed once split.</summary>
    internal static (MnistDataset Train, MnistDataset Validation) SplitOff(MnistDataset all, TrainingSession session)
    {
        using (all)
        {
            return all.Split(session.ValidationSplit, session.Seed);
        }
    }

    /// <summary>MNIST's training images with the extra digits mixed in, repeated to make about <see cref="ExtraShare"/> of them; frees <paramref name="mnist"/>.</summary>
    private static MnistDataset MixExtra(MnistDataset mnist, TrainingRequest request, Action<string> notice)
    {
        using (mnist)
        {
            using MnistDataset extra = LoadExtra(request, notice);
            int repeats = Math.Clamp((int)Math.Round(ExtraShare * mnist.Count / extra.Count), 1, MaxExtraRepeats);
            notice($"Mixing {extra.Count:N0} extra digits, each {repeats} times, into {mnist.Count:N0} MNIST images.");
            return mnist.Mix(extra, repeats);
        }
    }

    /// <summary>The extra digits: a pen-strokes file drawn on the canvas (less the held-out writers), or a folder of pictures.</summary>
    private static MnistDataset LoadExtra(TrainingRequest request, Action<string> notice)
    {
        string path = request.ExtraDigits!;
        if (!PenDigitsFile.IsStrokeFile(path))
        {
            if (request.HeldOut is not null)
            {
                throw new ArgumentException("--held-out leaves writers out of a pen-strokes file (.jsonl or .jsonl.gz); --extra-data names a folder.");
            }
            (MnistDataset pictures, IReadOnlyList<SkippedFile> skipped) = DigitFolder.Load(path);
            FolderTraining.NoticeSkipped(skipped, notice);
            return pictures;
        }
        List<PenDigit> strokes = PenDigitsFile.Load(path);
        if (request.HeldOut is WriterFold fold)
        {
            int before = strokes.Count;
            strokes = fold.Select(strokes, inFold: false);
            notice($"Holding out writer fold {fold}: {before - strokes.Count:N0} of {before:N0} pen digits.");
        }
        (MnistDataset digits, int leftOut) = DigitFolder.FromStrokes(strokes);
        if (leftOut > 0)
        {
            notice(leftOut == 1 ? "Left out 1 pen digit that does not read as one digit." : $"Left out {leftOut:N0} pen digits that do not read as one digit.");
        }
        return digits;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Session.Dispose();
        _train.Dispose();
        _validation?.Dispose();
        _test?.Dispose();
    }
}

/// <summary>How a training run ended.</summary>
/// <param name="OutputPath">The model file written.</param>
/// <param name="Result">The best weights' figures; null when interrupted.</param>
/// <param name="OnTest">True when <paramref name="Result"/> is on the test set, false when on the validation pictures.</param>
/// <param name="Interrupted">True when cancelled in an epoch; the file holds the state after the last finished one.</param>
public sealed record TrainingOutcome(string OutputPath, EvaluationResult? Result, bool OnTest, bool Interrupted);
