using Digits.Core.Data;
using Digits.Core.Evaluation;
using Digits.Core.Inference;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Digits.Core.Preprocessing;
using Digits.Core.Tests.Support;
using Digits.Tests.Support;
using static TorchSharp.torch;

namespace Digits.Core.Tests.Inference;

/// <summary>The model the repository ships, measured as users meet it.</summary>
[Collection(TorchTests.Name)]
public sealed class ShippedModelTests
{
    /// <summary>A little below the shipped model's measured 99.33% on the MNIST test set (see the README).</summary>
    private const double MnistFloor = 0.993;

    /// <summary>
    /// A little below the 99.50% measured on the 30 pendigits writers, whose strokes the shipped model trained on; the
    /// writer-held-out figure comes from training without a fold's writers (TrainingJobTests, benchmarks/handwriting/folds).
    /// </summary>
    private const double PenDigitsFloor = 0.99;

    /// <summary>A little below the accuracy measured on the stress pictures of the first 1,000 test images (99.3%, as evaluate --stress --limit 1000 prints).</summary>
    private const double StressFloor = 0.985;

    private static readonly Lazy<Predictor> s_predictor = new(() => Predictor.Load(ShippedModel.Locate()));

    [Fact]
    public void ShippedModel_FullMnistTestSet_ScoresAboveTheFloor()
    {
        SavedModel saved = ModelFile.Load(ShippedModel.Locate());
        using DigitsNetwork network = saved.CreateNetwork();

        EvaluationResult result = Evaluator.Evaluate(network, Mnist.Test, CPU);

        Assert.Equal(10_000, result.Count);
        Assert.True(result.Accuracy >= MnistFloor, $"accuracy {result.Accuracy:P2}");
        // Weights, AdamW state and, as the best epoch was not the last, the last epoch's weights for --resume.
        Assert.True(new FileInfo(ShippedModel.Locate()).Length < 6_500_000, "the shipped file stays under 6.5 MB");
        Assert.NotNull(saved.Manifest.Calibration);
        // The figure the file claims (shown by compare, the report and the web page) is the one measured here.
        Assert.Equal(result.Accuracy, saved.Manifest.Metrics[ModelManifest.TestAccuracy], 4);
    }

    [Fact]
    public void ShippedModel_FullMnistTestSetThroughThePredictor_ScoresAboveTheFloor()
    {
        // The path users meet: batch-norm folded, batched, calibrated probabilities, the top one read as the answer.
        float[] pixels = Mnist.Test.Images.contiguous().data<float>().ToArray();
        long[] labels = Mnist.Test.Labels.data<long>().ToArray();
        PreparedPicture[] digits = [.. Enumerable.Range(0, labels.Length).Select(i => new PreparedPicture(pixels.AsSpan(i * 784, 784).ToArray(), InkProblem.None, null))];

        IReadOnlyList<Prediction> predictions = s_predictor.Value.PredictMany(digits);

        double accuracy = predictions.Select((p, i) => p.Digit == labels[i] ? 1.0 : 0.0).Average();
        Assert.Equal(10_000, predictions.Count);
        Assert.True(accuracy >= MnistFloor, $"accuracy through the predictor {accuracy:P2}");
    }

    [Fact]
    public void ShippedModel_PenDigitsDrawnOnTheCanvas_ReadsThemAboveTheFloor()
    {
        IReadOnlyList<PenDigit> digits = SharedPenDigits.Digits;

        HandwritingScore score = HandwritingEvaluation.Score(s_predictor.Value, digits);

        Assert.Equal(30, score.ByGroup.Count);
        Assert.True(score.Accuracy >= PenDigitsFloor, $"accuracy {score.Accuracy:P2} on {digits.Count} digits");
    }

    [Fact]
    public void ShippedModel_StressPictures_ReadsThemAlmostAsWellAsThePlainDigits()
    {
        using MnistDataset test = new(Mnist.Test.Images.narrow(0, 0, 1000).clone(), Mnist.Test.Labels.narrow(0, 0, 1000).clone());

        HandwritingScore score = HandwritingEvaluation.ScoreStress(s_predictor.Value, test, 1000, seed: 1);

        Assert.True(score.Accuracy >= StressFloor, $"stress accuracy {score.Accuracy:P2}");
    }

    [Fact]
    public void Predict_BlankPicture_IsNotSureAndSaysWhy()
    {
        var blank = new GreyImage(280, 280, [.. Enumerable.Repeat(1f, 280 * 280)]);

        Prediction prediction = s_predictor.Value.Predict(ImagePreprocessor.Prepare(blank));

        Assert.True(prediction.NotSure);
        Assert.Contains("blank", prediction.Reason);
        Assert.Equal(1, prediction.Probabilities.Sum(), 3);
    }

    [Fact]
    public void Predict_DrawnSeven_AnswersSevenConfidently()
    {
        PreparedPicture seven = ImagePreprocessor.Prepare(StrokeRenderer.Render(TestPictures.Seven(280), 280, 280, 18));

        Prediction prediction = s_predictor.Value.Predict(seven);

        Assert.Equal(7, prediction.Digit);
        Assert.False(prediction.NotSure, prediction.Reason);
        Assert.Equal(7, prediction.Top(3)[0].Digit);
    }

    [Fact]
    public async Task Predict_FromManyThreadsAtOnce_GivesTheSameAnswers()
    {
        float[] pixels = Mnist.Test.Images.narrow(0, 0, 32).contiguous().data<float>().ToArray();
        PreparedPicture[] digits = [.. Enumerable.Range(0, 32).Select(i => new PreparedPicture(pixels.AsSpan(i * 784, 784).ToArray(), InkProblem.None, null))];
        IReadOnlyList<Prediction> expected = s_predictor.Value.PredictMany(digits);

        Prediction[][] parallel = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => digits.Select(d => s_predictor.Value.Predict(d)).ToArray(), TestContext.Current.CancellationToken)));

        foreach (Prediction[] run in parallel)
        {
            Assert.Equal(expected.Select(p => p.Digit), run.Select(p => p.Digit));
            Assert.Equal(expected.Select(p => p.Confidence), run.Select(p => p.Confidence), (a, b) => Math.Abs(a - b) < 1e-5);
        }
    }
}
