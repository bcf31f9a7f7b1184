using Digits.Core.Inference;
using Digits.Core.Persistence;
using Digits.Core.Preprocessing;
using Digits.Onnx.Tests.Support;
using static TorchSharp.torch;

namespace Digits.Onnx.Tests;

[Collection(OnnxTests.Name)]
public sealed class EnginesTests
{
    private const int Pixels = 28 * 28;

    private static readonly Lazy<SavedModel> s_shipped = new(() => ModelFile.Load(ShippedModel.Locate()));

    private static PreparedPicture[] TestDigits(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new PreparedPicture(Outputs.MnistTestPixels[(i * Pixels)..((i + 1) * Pixels)], InkProblem.None, null))];

    [Fact]
    public void Open_EachEngine_GivesThePredictorOfThatName_AndTheSameAnswers()
    {
        PreparedPicture[] digits = TestDigits(300);
        using Predictor torch = Engines.Open(s_shipped.Value, Engines.Torch);
        using Predictor onnx = Engines.Open(s_shipped.Value, Engines.Onnx, threads: 2);

        IReadOnlyList<Prediction> a = torch.PredictMany(digits);
        IReadOnlyList<Prediction> b = onnx.PredictMany(digits);

        Assert.Equal(Engines.Torch, torch.Engine);
        Assert.Equal(Engines.Onnx, onnx.Engine);
        for (int i = 0; i < digits.Length; i++)
        {
            Assert.Equal(a[i].Digit, b[i].Digit);
            Assert.Equal(a[i].NotSure, b[i].NotSure);
            Assert.True(Outputs.MaxDifference(a[i].Probabilities, b[i].Probabilities) <= 1e-5, $"image {i}");
        }
    }

    [Fact]
    public void Explain_OnTheOnnxEngine_StillShowsEachConvolutionsMaps()
    {
        PreparedPicture digit = TestDigits(1)[0];
        using Predictor torch = Engines.Open(s_shipped.Value, Engines.Torch);
        using Predictor onnx = Engines.Open(s_shipped.Value, Engines.Onnx);

        Explanation a = torch.Explain(digit, mapsPerLayer: 4);
        Explanation b = onnx.Explain(digit, mapsPerLayer: 4);

        Assert.NotEmpty(b.Layers);
        Assert.Equal(a.Layers.Select(m => m.Layer), b.Layers.Select(m => m.Layer));
        Assert.Equal(a.Layers[0].Maps[0], b.Layers[0].Maps[0]);
        Assert.True(Outputs.MaxDifference(a.Saliency, b.Saliency) <= 1e-4);
    }

    [Fact]
    public void Open_OnnxOnADeviceOtherThanTheCpu_SaysToUseTorch()
    {
        ArgumentException refused = Assert.Throws<ArgumentException>(() => Engines.Open(s_shipped.Value, Engines.Onnx, device("meta")));

        Assert.Contains("--engine torch", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_UnknownEngine_NamesTheChoices()
    {
        ArgumentException refused = Assert.Throws<ArgumentException>(() => Engines.Open(s_shipped.Value, "tflite"));

        Assert.Contains("'tflite'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("torch, onnx", refused.Message, StringComparison.Ordinal);
    }
}
