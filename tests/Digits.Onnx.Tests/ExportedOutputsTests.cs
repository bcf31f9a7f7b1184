using System.Diagnostics;
using System.Globalization;
using Digits.Core.Data;
using Digits.Core.Evaluation;
using Digits.Core.Inference;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Digits.Core.Preprocessing;
using Digits.Onnx.Tests.Support;
using Digits.Tests.Support;

namespace Digits.Onnx.Tests;

/// <summary>
/// The exported graph answers as Digits does: for the shipped model, every registered network and the layer lists that
/// use every layer type, on the whole MNIST test set (or generated pictures of the network's shape).
/// </summary>
[Collection(OnnxTests.Name)]
public sealed class ExportedOutputsTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>Calibrated probabilities must agree to this, absolutely.</summary>
    private const double ProbabilityTolerance = 1e-5;

    /// <summary>
    /// Logits must agree to this, relative to the largest logit (at least 1). The two engines add a convolution's
    /// products in different orders (libtorch's oneDNN and ONNX Runtime's MLAS kernels), which moves float32 sums by
    /// a few units in the last place of each layer's largest values.
    /// </summary>
    private const double LogitTolerance = 1e-5;

    /// <summary>Pictures for networks that do not take MNIST digits: a 150x150 colour network costs about a second per 30.</summary>
    private const int GeneratedCount = 48;

    /// <summary>
    /// A fresh network's logits are small (|z| under 1), so its softmax is nearly flat and hides differences; a low
    /// temperature spreads the probabilities, and tests the temperature, for networks that have not learnt anything.
    /// </summary>
    private static readonly Calibration s_sharp = new(0.1, 0.6, 0.1, 0.05);

    private readonly TempDirectory _dir = new();

    public static TheoryData<string> RegisteredModels => [.. ModelRegistry.Names];

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ShippedModel_OnTheMnistTestSet_AnswersAsDigitsAndItsPredictor()
    {
        SavedModel saved = ModelFile.Load(ShippedModel.Locate());

        OnnxOutputs onnx = CompareWithDigits(saved, Outputs.MnistTest);

        using Predictor predictor = Predictor.From(saved);
        float[] pixels = Outputs.MnistTestPixels;
        const int Pixels = MnistGeometry.Size * MnistGeometry.Size;
        PreparedPicture[] digits = [.. Enumerable.Range(0, Outputs.MnistTest.Count)
            .Select(i => new PreparedPicture(pixels[(i * Pixels)..((i + 1) * Pixels)], InkProblem.None, null))];
        float[] answered = [.. predictor.PredictMany(digits).SelectMany(p => p.Probabilities)];
        double fromPredictor = Outputs.MaxDifference(answered, onnx.Probabilities);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"digitnet vs Predictor (folded, managed softmax): probabilities {fromPredictor:E2}"));
        Assert.True(fromPredictor <= ProbabilityTolerance, $"Probabilities differ from Predictor's by {fromPredictor:E2}.");

        double accuracy = Accuracy(onnx.Probabilities, Outputs.MnistTest);
        Assert.Equal(saved.Manifest.Metrics[ModelManifest.TestAccuracy], accuracy, 4);
    }

    [Theory]
    [MemberData(nameof(RegisteredModels))]
    public void RegisteredNetwork_FreshlyInitialised_AnswersAsDigits(string model)
    {
        ModelDefinition definition = ModelRegistry.Get(model);
        SavedModel saved = TestNetworks.SaveFresh(definition, _dir.File($"{model}.digits"), calibration: s_sharp);

        bool digits = definition.Network.Input.SequenceEqual([1, MnistGeometry.Size, MnistGeometry.Size]);
        using MnistDataset? pictures = digits ? null : Outputs.Generated(definition.Network.Input, GeneratedCount, seed: 5);

        CompareWithDigits(saved, pictures ?? Outputs.MnistTest);
    }

    [Fact]
    public void EveryLayerType_OnTheFlattenPath_AnswersAsDigits()
    {
        SavedModel saved = TestNetworks.SaveFresh(TestNetworks.FlattenPath, _dir.File("flatten.digits"), calibration: s_sharp);

        CompareWithDigits(saved, Outputs.MnistTest);
    }

    [Fact]
    public void EveryLayerType_OnTheGlobalPoolingPathWithASigmoidOutput_AnswersAsDigits()
    {
        SavedModel saved = TestNetworks.SaveFresh(TestNetworks.GlobalPoolPath, _dir.File("global.digits"));
        using MnistDataset pictures = Outputs.Generated(saved.Manifest.Network.Input, 2000, seed: 11);

        OnnxOutputs onnx = CompareWithDigits(saved, pictures);

        // DigitsNetwork hands a sigmoid output on as [0, z]: the first logit is exactly zero, the second probability is σ(z).
        for (int i = 0; i < pictures.Count; i++)
        {
            Assert.Equal(0f, onnx.Logits[2 * i]);
            double sigmoid = 1 / (1 + Math.Exp(-onnx.Logits[(2 * i) + 1]));
            Assert.Equal(sigmoid, onnx.Probabilities[(2 * i) + 1], 1e-6);
        }
    }

    [Fact]
    public void TheTwoLayerLists_BetweenThem_UseEveryLayerTypeAndActivation()
    {
        IEnumerable<LayerSpec> layers = TestNetworks.FlattenPath.Network.Layers.Concat(TestNetworks.GlobalPoolPath.Network.Layers);
        string[] kinds = [.. layers.Select(l => l.Kind).Distinct()];
        string[] inline = [.. layers.Select(l => l switch { Conv2dLayer c => c.Activation, DenseLayer d => d.Activation, _ => null }).OfType<string>().Distinct()];

        Assert.Empty(LayerKinds.All.Except(kinds));
        Assert.Empty(LayerKinds.Activations.Except(inline));
    }

    /// <summary>Exports, runs both engines on <paramref name="data"/>, prints and checks the largest differences.</summary>
    private OnnxOutputs CompareWithDigits(SavedModel saved, MnistDataset data)
    {
        var clock = Stopwatch.StartNew();
        OnnxOutputs digits = Outputs.Digits(saved, data);
        TimeSpan torch = clock.Elapsed;
        using var engine = new OnnxEngine(OnnxExporter.Export(saved), new OnnxEngineOptions { IntraOpThreads = Environment.ProcessorCount });
        TimeSpan export = clock.Elapsed - torch;
        OnnxOutputs onnx = Outputs.Onnx(engine, data);
        TimeSpan run = clock.Elapsed - torch - export;

        double logits = Outputs.MaxDifference(digits.Logits, onnx.Logits);
        double scale = Math.Max(1, Outputs.MaxMagnitude(digits.Logits));
        double probabilities = Outputs.MaxDifference(digits.Probabilities, onnx.Probabilities);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{saved.Manifest.Model}, {data.Count} images: logits {logits:E2} (largest |logit| {Outputs.MaxMagnitude(digits.Logits):F3}), " +
            $"probabilities {probabilities:E2}; libtorch {torch.TotalSeconds:F1} s, export and session {export.TotalSeconds:F1} s, ONNX Runtime {run.TotalSeconds:F1} s"));
        Assert.True(probabilities <= ProbabilityTolerance, $"Probabilities differ by {probabilities:E2}.");
        Assert.True(logits <= LogitTolerance * scale, $"Logits differ by {logits:E2}, over {LogitTolerance:E0} of the largest logit {scale:F2}.");
        return onnx;
    }

    private static double Accuracy(float[] probabilities, MnistDataset data)
    {
        long[] labels = data.Labels.data<long>().ToArray();
        int classes = probabilities.Length / labels.Length;
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            ReadOnlySpan<float> row = probabilities.AsSpan(i * classes, classes);
            correct += row.IndexOf(row.ToArray().Max()) == labels[i] ? 1 : 0;
        }
        return correct / (double)labels.Length;
    }
}
