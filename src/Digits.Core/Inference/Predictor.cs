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

    /// <summary>The side of the square hidden by <see cref="Explain"/>, pixels of the 28x28 image: about a stroke's width and a half of its gap.</summary>
    private const int OcclusionPatch = 6;

    /// <summary>The step of that square, pixels.</summary>
    private const int OcclusionStride = 2;

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
    public Prediction Predict(PreparedPicture digit)
    {
        ArgumentNullException.ThrowIfNull(digit);
        return PredictMany([digit])[0];
    }

    /// <summary>Answers for many prepared pictures, in batches of <see cref="BatchSize"/>.</summary>
    public IReadOnlyList<Prediction> PredictMany(IReadOnlyList<PreparedPicture> digits)
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

    /// <summary>
    /// Explains the answer for one prepared picture: an occlusion saliency map (a <see cref="OcclusionPatch"/>-pixel
    /// square of background slid over the picture in steps of <see cref="OcclusionStride"/>, all positions in one
    /// batch, each pixel scored by the mean drop in the answer's probability when it is hidden) and the first
    /// <paramref name="mapsPerLayer"/> feature maps of each convolution.
    /// </summary>
    public Explanation Explain(PreparedPicture digit, int mapsPerLayer = 16)
    {
        ArgumentNullException.ThrowIfNull(digit);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mapsPerLayer);
        const int Side = MnistGeometry.Size;
        const int Pixels = Side * Side;
        const int Steps = ((Side - OcclusionPatch) / OcclusionStride) + 1;
        var batch = new float[(1 + (Steps * Steps)) * Pixels];
        for (int copy = 0; copy <= Steps * Steps; copy++)
        {
            Array.Copy(digit.Pixels, 0, batch, copy * Pixels, Pixels);
        }
        for (int k = 0; k < Steps * Steps; k++)
        {
            int top = k / Steps * OcclusionStride;
            int left = k % Steps * OcclusionStride;
            for (int y = top; y < top + OcclusionPatch; y++)
            {
                Array.Clear(batch, ((1 + k) * Pixels) + (y * Side) + left, OcclusionPatch);
            }
        }
        float[] logits = Logits(batch, 1 + (Steps * Steps));
        var probabilities = new float[Classes];
        Calibration.Probabilities(logits.AsSpan(0, Classes), probabilities);
        Prediction prediction = Decide(digit, (float[])probabilities.Clone());
        var drop = new float[Pixels];
        var covered = new int[Pixels];
        for (int k = 0; k < Steps * Steps; k++)
        {
            Calibration.Probabilities(logits.AsSpan((1 + k) * Classes, Classes), probabilities);
            float lost = Math.Max(0, prediction.Confidence - probabilities[prediction.Digit]);
            int top = k / Steps * OcclusionStride;
            int left = k % Steps * OcclusionStride;
            for (int y = top; y < top + OcclusionPatch; y++)
            {
                for (int x = left; x < left + OcclusionPatch; x++)
                {
                    drop[(y * Side) + x] += lost;
                    covered[(y * Side) + x]++;
                }
            }
        }
        float largest = 0;
        for (int i = 0; i < Pixels; i++)
        {
            drop[i] = covered[i] == 0 ? 0 : drop[i] / covered[i];
            largest = Math.Max(largest, drop[i]);
        }
        for (int i = 0; i < Pixels && largest > 0; i++)
        {
            drop[i] /= largest;
        }
        return new Explanation(prediction, drop, FeatureMapsOf(digit, mapsPerLayer));
    }

    private List<FeatureMaps> FeatureMapsOf(PreparedPicture digit, int mapsPerLayer)
    {
        using var scope = NewDisposeScope();
        var layers = new List<FeatureMaps>();
        foreach ((string layer, Tensor maps) in _network.FeatureMaps(Images(digit.Pixels, 1)))
        {
            int channels = (int)maps.shape[1];
            int height = (int)maps.shape[2];
            int width = (int)maps.shape[3];
            Tensor first = maps[0].narrow(0, 0, Math.Min(mapsPerLayer, channels)).flatten(1);
            Tensor low = first.amin([1], keepdim: true);
            // An explicit scalar, kept alive across the call (see DigitsNetwork.Normalize).
            using Scalar tiny = 1e-8.ToScalar();
            Tensor range = first.amax([1], keepdim: true).sub_(low).clamp_min_(tiny);
            float[] values = first.sub(low).div_(range).cpu().data<float>().ToArray();
            float[][] each = [.. values.Chunk(height * width)];
            layers.Add(new FeatureMaps(layer, channels, height, width, each));
        }
        return layers;
    }

    /// <summary>The logits of <paramref name="count"/> 28x28 images, <see cref="Classes"/> per image.</summary>
    private float[] Logits(float[] pixels, int count)
    {
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        return _network.call(Images(pixels, count)).cpu().data<float>().ToArray();
    }

    /// <summary><paramref name="count"/> 28x28 images as <c>[count, 1, 28, 28]</c> on the model's device, in the caller's dispose scope.</summary>
    private Tensor Images(float[] pixels, int count)
    {
        Tensor images = tensor(pixels, [count, 1, MnistGeometry.Size, MnistGeometry.Size]);
        return _device.type == DeviceType.CPU ? images : images.to(_device);
    }

    private Prediction Decide(PreparedPicture digit, float[] probabilities)
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
