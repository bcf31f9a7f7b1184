using Digits.Core.Evaluation;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Digits.Core.Preprocessing;
using TorchSharp;
using static TorchSharp.torch;

namespace Digits.Core.Inference;

/// <summary>
/// A trained model loaded once for answering: the network in eval mode on its device, its calibration and its
/// "not sure" threshold. Thread-safe: each call runs in inference mode in its own dispose scope and shares no
/// mutable tensors, so one instance can serve concurrent requests.
/// </summary>
public sealed class Predictor : IDisposable
{
    /// <summary>Pictures per forward pass in <see cref="PredictMany"/>.</summary>
    public const int BatchSize = 256;

    private const int IdHashLength = 12;

    /// <summary>Digits: the model must answer ten classes.</summary>
    private const int Classes = 10;

    private readonly DigitsNetwork _network;
    private readonly Device _device;

    private Predictor(SavedModel saved, Device device)
    {
        Manifest = saved.Manifest;
        Calibration = saved.Manifest.Calibration ?? Calibration.None;
        string weightsHash = saved.Manifest.Checksums.GetValueOrDefault(ModelFile.WeightsEntry, "");
        Id = weightsHash.Length >= IdHashLength ? $"{saved.Manifest.Model}-{weightsHash[..IdHashLength]}" : saved.Manifest.Model;
        IReadOnlyList<int> shape = saved.Manifest.Network.Input;
        if (shape.Count != 3 || shape[0] != 1 || shape[1] != MnistGeometry.Size || shape[2] != MnistGeometry.Size || saved.Manifest.Network.Classes != Classes)
        {
            throw new InvalidDataException(
                $"'{saved.Path}' takes [{string.Join(", ", shape)}] images into {saved.Manifest.Network.Classes} classes; predicting digits needs a model of 1x28x28 images into 10 classes.");
        }
        // Created on the CPU by the file, loaded, folded for speed, then moved.
        using (DigitsNetwork trained = saved.CreateNetwork())
        {
            _network = BatchNormFolding.Fold(trained);
        }
        _network.to(device);
        _device = device;
    }

    /// <summary>The loaded file's manifest: architecture, metrics, creation time.</summary>
    public ModelManifest Manifest { get; }

    /// <summary>The temperature and threshold in use (<see cref="Calibration.None"/> for a file without them).</summary>
    public Calibration Calibration { get; }

    /// <summary>The model's name and the start of its weights' SHA-256, e.g. <c>digitnet-3f2a9c01b7de</c>.</summary>
    public string Id { get; }

    /// <summary>Loads a model file.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a digit model, or damaged.</exception>
    public static Predictor Load(string path, Device? device = null) => From(ModelFile.Load(path), device);

    /// <summary>Prepares an already read model file for answering, without reading it again.</summary>
    /// <exception cref="InvalidDataException">Not a digit model.</exception>
    public static Predictor From(SavedModel saved, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(saved);
        return new Predictor(saved, device ?? CPU);
    }

    /// <summary>Answers for one prepared picture.</summary>
    public Prediction Predict(PreparedDigit digit)
    {
        ArgumentNullException.ThrowIfNull(digit);
        return PredictMany([digit])[0];
    }

    /// <summary>Answers for many prepared pictures, in batches of <see cref="BatchSize"/>.</summary>
    public IReadOnlyList<Prediction> PredictMany(IReadOnlyList<PreparedDigit> digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        const int Pixels = MnistGeometry.Size * MnistGeometry.Size;
        var predictions = new List<Prediction>(digits.Count);
        for (int start = 0; start < digits.Count; start += BatchSize)
        {
            int count = Math.Min(BatchSize, digits.Count - start);
            var batch = new float[count * Pixels];
            for (int i = 0; i < count; i++)
            {
                Array.Copy(digits[start + i].Pixels, 0, batch, i * Pixels, Pixels);
            }
            float[] logits = Logits(batch, count);
            for (int i = 0; i < count; i++)
            {
                var probabilities = new float[Classes];
                Calibration.Probabilities(logits.AsSpan(i * Classes, Classes), probabilities);
                predictions.Add(Decide(digits[start + i], probabilities));
            }
        }
        return predictions;
    }

    /// <summary>The logits of <paramref name="count"/> 28x28 images, <see cref="Classes"/> per image.</summary>
    private float[] Logits(float[] pixels, int count)
    {
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        Tensor images = tensor(pixels, [count, 1, MnistGeometry.Size, MnistGeometry.Size]);
        if (_device.type != DeviceType.CPU)
        {
            images = images.to(_device);
        }
        return _network.call(images).cpu().data<float>().ToArray();
    }

    private Prediction Decide(PreparedDigit digit, float[] probabilities)
    {
        int best = 0;
        for (int d = 1; d < probabilities.Length; d++)
        {
            best = probabilities[d] > probabilities[best] ? d : best;
        }
        float confidence = probabilities[best];
        string? reason = digit.Detail
            ?? (confidence < Calibration.Threshold
                ? $"The model is only {confidence:P0} sure, below its {Calibration.Threshold:P0} threshold."
                : null);
        return new Prediction(best, confidence, probabilities, reason is not null, reason);
    }

    /// <inheritdoc />
    public void Dispose() => _network.Dispose();
}
