using System.Globalization;
using Digits.Core.Data;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Digits.Core.Preprocessing;
using static TorchSharp.torch;

namespace Digits.Core.Inference;

/// <summary>
/// A trained model loaded once for answering, whatever it was trained on: it reads pictures as its manifest says
/// (digits prepared as MNIST was, or an image folder's pictures resized as in training), computes their logits with
/// an engine, and turns them into calibrated answers with "not sure". Thread-safe: one instance can serve concurrent
/// requests.
/// </summary>
public sealed class Predictor : IDisposable
{
    /// <summary>Pictures per forward pass in <see cref="PredictMany"/>.</summary>
    public const int BatchSize = 256;

    private readonly ILogitsEngine _engine;

    // Feature maps are read from libtorch's modules: with another engine, a libtorch copy is made the first time they are asked for.
    private readonly Lazy<TorchEngine> _maps;
    private readonly PictureFormat? _folderFormat;
    private readonly int _inputSize;

    private Predictor(SavedModel saved, ILogitsEngine engine)
    {
        Manifest = saved.Manifest;
        Calibration = saved.Manifest.Calibration ?? Calibration.None;
        NetworkSpec network = saved.Manifest.Network;
        Classes = network.ClassNames ?? [.. Enumerable.Range(0, network.Classes).Select(c => c.ToString(CultureInfo.InvariantCulture))];
        _folderFormat = PictureReader.IsFolderModel(network) ? PictureReader.FormatOf(network) : null;
        ReadsDigits = _folderFormat is null && network.Input is [1, MnistGeometry.Size, MnistGeometry.Size] && network.Classes == 10;
        _inputSize = network.Input.Aggregate(1, (a, b) => a * b);
        _engine = engine;
        _maps = new Lazy<TorchEngine>(() => engine as TorchEngine ?? new TorchEngine(saved));
    }

    /// <summary>The loaded file's manifest: architecture, metrics, creation time.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The temperature and threshold in use (<see cref="Calibration.None"/> for a file without them).</summary>
    public Calibration Calibration { get; }

    /// <summary>The model's name and the start of its weights' SHA-256, e.g. <c>digitnet-3f2a9c01b7de</c>.</summary>
    public string Id => Manifest.Id;

    /// <summary>The names of the classes, in the order of the outputs: "0" to "9" for digits, or an image folder's classes.</summary>
    public IReadOnlyList<string> Classes { get; }

    /// <summary>True for a model of handwritten digits (28x28 in, ten classes out), which pictures are prepared for as MNIST was.</summary>
    public bool ReadsDigits { get; }

    /// <summary>The engine computing the logits (<c>torch</c> or <c>onnx</c>).</summary>
    public string Engine => _engine.Name;

    /// <summary>Loads a model file, answering with libtorch on <paramref name="device"/> (the CPU unless given).</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a Digits model, or damaged.</exception>
    public static Predictor Load(string path, Device? device = null) => From(ModelFile.Load(path), device);

    /// <summary>Prepares an already read model file for answering with libtorch, without reading it again.</summary>
    public static Predictor From(SavedModel saved, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(saved);
        return new Predictor(saved, new TorchEngine(saved, device));
    }

    /// <summary>Prepares a model file for answering with <paramref name="engine"/>, which the predictor then owns.</summary>
    public static Predictor From(SavedModel saved, ILogitsEngine engine)
    {
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentNullException.ThrowIfNull(engine);
        return new Predictor(saved, engine);
    }

    /// <summary>
    /// Reads an encoded picture (PNG, JPEG, BMP, WebP, GIF; turned upright by its EXIF orientation) as this model reads
    /// pictures: a digit prepared as MNIST was, or a picture resized as the model's image folder was.
    /// </summary>
    /// <param name="encoded">The file's bytes.</param>
    /// <param name="maxPixels">The most pixels decoded (see <see cref="ImageDecoder.Decode"/>).</param>
    /// <exception cref="InvalidDataException">Not a readable picture.</exception>
    /// <exception cref="ImageTooLargeException">Over <paramref name="maxPixels"/>.</exception>
    public PreparedPicture Read(ReadOnlySpan<byte> encoded, long maxPixels = ImageDecoder.DefaultMaxPixels)
    {
        if (_folderFormat is null)
        {
            return ImagePreprocessor.Prepare(ImageDecoder.Decode(encoded, maxPixels));
        }
        var values = new float[_inputSize];
        ImageFolder.ReadPicture(encoded, _folderFormat, values, maxPixels);
        return new PreparedPicture(values, InkProblem.None, null);
    }

    /// <summary>Reads a picture file as <see cref="Read"/> does.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public PreparedPicture ReadFile(string path) => File.Exists(path)
        ? Read(File.ReadAllBytes(path))
        : throw new FileNotFoundException($"Image '{Path.GetFullPath(path)}' not found.", path);

    /// <summary>Answers for one prepared picture.</summary>
    public Prediction Predict(PreparedPicture picture)
    {
        ArgumentNullException.ThrowIfNull(picture);
        return PredictMany([picture])[0];
    }

    /// <summary>Answers for many prepared pictures, in batches of <see cref="BatchSize"/>.</summary>
    public IReadOnlyList<Prediction> PredictMany(IReadOnlyList<PreparedPicture> pictures)
    {
        ArgumentNullException.ThrowIfNull(pictures);
        var predictions = new List<Prediction>(pictures.Count);
        for (int start = 0; start < pictures.Count; start += BatchSize)
        {
            int count = Math.Min(BatchSize, pictures.Count - start);
            var batch = new float[count * _inputSize];
            for (int i = 0; i < count; i++)
            {
                float[] values = pictures[start + i].Pixels;
                if (values.Length != _inputSize)
                {
                    throw new ArgumentException(
                        $"The model takes pictures of [{string.Join(", ", Manifest.Network.Input)}] ({_inputSize} values); picture {start + i} has {values.Length}.", nameof(pictures));
                }
                Array.Copy(values, 0, batch, i * _inputSize, _inputSize);
            }
            float[] logits = _engine.Logits(batch, count);
            for (int i = 0; i < count; i++)
            {
                predictions.Add(Decide(pictures[start + i], logits.AsSpan(i * Classes.Count, Classes.Count)));
            }
        }
        return predictions;
    }

    /// <summary>
    /// Explains the answer for one prepared digit: an occlusion saliency map and the first
    /// <paramref name="mapsPerLayer"/> feature maps of each convolution (see <see cref="Explainer"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">Not a digit model.</exception>
    public Explanation Explain(PreparedPicture digit, int mapsPerLayer = 16)
    {
        ArgumentNullException.ThrowIfNull(digit);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mapsPerLayer);
        if (!ReadsDigits)
        {
            throw new InvalidOperationException($"'{Manifest.Model}' does not read digits; explanations are drawn for 28x28 digits.");
        }
        return Explainer.Explain(this, digit, mapsPerLayer);
    }

    /// <summary>The calibrated probabilities of one picture's logits.</summary>
    internal float[] Probabilities(ReadOnlySpan<float> logits)
    {
        var probabilities = new float[logits.Length];
        Calibration.Probabilities(logits, probabilities);
        return probabilities;
    }

    /// <summary>The engine's logits of <paramref name="count"/> inputs, <see cref="Classes"/> per input.</summary>
    internal float[] Logits(float[] values, int count) => _engine.Logits(values, count);

    /// <summary>Each convolution's first feature maps for one input, from libtorch whatever the engine.</summary>
    internal IReadOnlyList<FeatureMaps> FeatureMaps(float[] values, int mapsPerLayer) => _maps.Value.FeatureMaps(values, mapsPerLayer);

    /// <summary>The answer for a picture from its logits: the calibrated probabilities, the best class, and "not sure" with why.</summary>
    internal Prediction Decide(PreparedPicture picture, ReadOnlySpan<float> logits)
    {
        float[] probabilities = Probabilities(logits);
        int best = 0;
        for (int c = 1; c < probabilities.Length; c++)
        {
            best = probabilities[c] > probabilities[best] ? c : best;
        }
        float confidence = probabilities[best];
        string? reason = picture.Detail
            ?? (confidence < Calibration.Threshold
                ? $"The model is only {confidence:P0} sure, below its {Calibration.Threshold:P0} threshold."
                : null);
        return new Prediction(best, confidence, probabilities, reason is not null, reason)
        {
            Label = Classes[best],
            NoDigit = picture.Problem is InkProblem.Blank or InkProblem.Shapeless,
        };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _engine.Dispose();
        if (_maps.IsValueCreated && !ReferenceEquals(_maps.Value, _engine))
        {
            _maps.Value.Dispose();
        }
    }
}
