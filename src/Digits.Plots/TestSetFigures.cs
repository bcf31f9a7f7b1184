using Digits.Core.Data;
using Digits.Core.Evaluation;
using Digits.Core.Models;
using Digits.Core.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace Digits.Plots;

/// <summary>
/// A model's answers on a labelled set, computed once on the CPU, and the figures drawn from them: the confusion
/// matrix, samples and mistakes titled "Actual / Pred", and the reliability before and after temperature scaling.
/// </summary>
public sealed class TestSetFigures
{
    private readonly float[] _images;
    private readonly long[] _shape;
    private readonly IReadOnlyList<string>? _classes;
    private readonly long[] _labels;
    private readonly long[] _predictions;
    private readonly float[] _confidences;

    /// <summary>Evaluates <paramref name="saved"/> on <paramref name="test"/>, whose classes are named <paramref name="classes"/> (null for digits).</summary>
    public TestSetFigures(SavedModel saved, MnistDataset test, IReadOnlyList<string>? classes = null)
    {
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentNullException.ThrowIfNull(test);
        using DigitsNetwork network = saved.CreateNetwork();
        using var scope = NewDisposeScope();
        Tensor logits = Evaluator.Logits(network, test, CPU);
        Tensor labels = test.Labels.cpu();
        Tensor probabilities = nn.functional.softmax(logits, 1);
        (Tensor confidence, Tensor predicted) = probabilities.max(1);
        _confidences = confidence.data<float>().ToArray();
        _predictions = predicted.data<long>().ToArray();
        _labels = labels.data<long>().ToArray();
        _images = test.Images.cpu().contiguous().data<float>().ToArray();
        _shape = test.Images.shape[1..];
        _classes = classes;
        Temperature = saved.Manifest.Calibration?.Temperature ?? 1;
        Before = Calibrator.Reliability(probabilities, labels);
        using Scalar temperature = Temperature.ToScalar();
        After = Calibrator.Reliability(nn.functional.softmax(logits.div(temperature), 1), labels);
        EvaluationResult result = Evaluator.Score(logits, labels, saved.Manifest.Network.Classes);
        Confusion = result.Confusion;
        Loss = result.Loss;
    }

    /// <summary>The class names of a folder model's pictures, or null for digits.</summary>
    public IReadOnlyList<string>? Classes => _classes;

    /// <summary>What the pictures are, for a person: "test images", "images of pets/".</summary>
    public string What { get; init; } = "test images";

    /// <summary>Counts of (actual, predicted).</summary>
    public ConfusionMatrix Confusion { get; }

    /// <summary>Mean cross-entropy.</summary>
    public double Loss { get; }

    /// <summary>The model's temperature (1 without calibration).</summary>
    public double Temperature { get; }

    /// <summary>Reliability bins of the raw probabilities.</summary>
    public IReadOnlyList<ReliabilityBin> Before { get; }

    /// <summary>Reliability bins after temperature scaling.</summary>
    public IReadOnlyList<ReliabilityBin> After { get; }

    /// <summary>The first <paramref name="count"/> images, titled with their label and prediction.</summary>
    public IReadOnlyList<SampleGrid.Cell> Samples(int count) => Cells(Enumerable.Range(0, _labels.Length), count);

    /// <summary>Up to <paramref name="count"/> mistakes, the most confident first.</summary>
    public IReadOnlyList<SampleGrid.Cell> Mistakes(int count) =>
        Cells(Enumerable.Range(0, _labels.Length).Where(i => _predictions[i] != _labels[i]).OrderByDescending(i => _confidences[i]), count, withConfidence: true);

    private SampleGrid.Cell[] Cells(IEnumerable<int> order, int count, bool withConfidence = false)
    {
        int size = (int)(_shape[0] * _shape[1] * _shape[2]);
        string Name(long c) => _classes?[(int)c] ?? c.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return
        [
            .. order.Take(count).Select(i => new SampleGrid.Cell(
                _images.AsSpan(i * size, size).ToArray(), (int)_shape[2], (int)_shape[1],
                $"Actual: {Name(_labels[i])} / Pred: {Name(_predictions[i])}" + (withConfidence ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $" ({_confidences[i] * 100:F0}%)") : ""),
                _predictions[i] != _labels[i], (int)_shape[0])),
        ];
    }
}
