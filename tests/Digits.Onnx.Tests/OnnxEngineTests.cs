using Digits.Core.Inference;
using Digits.Core.Persistence;
using Digits.Onnx.Tests.Support;

namespace Digits.Onnx.Tests;

[Collection(OnnxTests.Name)]
public sealed class OnnxEngineTests
{
    private const int Pixels = 28 * 28;
    private const int Classes = 10;

    private static readonly Lazy<byte[]> s_shipped = new(() => OnnxExporter.Export(ModelFile.Load(ShippedModel.Locate())));

    private static float[] Images(int first, int count) => Outputs.MnistTestPixels[(first * Pixels)..((first + count) * Pixels)];

    [Fact]
    public void Run_OneImageThenThirtySevenOnTheSameSession_AnswersEachImageAlike()
    {
        using var engine = new OnnxEngine(s_shipped.Value);
        float[] images = Images(0, 37);

        OnnxOutputs many = engine.Run(images, 37);
        OnnxOutputs[] ones = [.. Enumerable.Range(0, 37).Select(i => engine.Run(images[(i * Pixels)..((i + 1) * Pixels)], 1))];

        Assert.Equal(37 * Classes, many.Logits.Length);
        Assert.Equal(37 * Classes, many.Probabilities.Length);
        for (int i = 0; i < 37; i++)
        {
            Assert.Equal(Classes, ones[i].Probabilities.Length);
            Assert.True(Outputs.MaxDifference(many.Probabilities[(i * Classes)..((i + 1) * Classes)], ones[i].Probabilities) <= 1e-6);
            Assert.True(Outputs.MaxDifference(many.Logits[(i * Classes)..((i + 1) * Classes)], ones[i].Logits) <= 1e-5);
        }
    }

    [Fact]
    public void LogitsAndProbabilities_AreTheOutputsOfRun()
    {
        using var engine = new OnnxEngine(s_shipped.Value);
        float[] images = Images(100, 5);

        OnnxOutputs both = engine.Run(images, 5);

        Assert.Equal(both.Logits, engine.Logits(images, 5));
        Assert.Equal(both.Probabilities, engine.Probabilities(images, 5));
        Assert.Empty(engine.Logits([], 0));
    }

    [Fact]
    public void Logits_FromManyThreadsAtOnce_AreThoseOfOneThread()
    {
        using var engine = new OnnxEngine(s_shipped.Value);
        const int Count = 200;
        float[][] images = [.. Enumerable.Range(0, Count).Select(i => Images(i, 1))];
        float[][] alone = [.. images.Select(image => engine.Logits(image, 1))];

        var together = new float[Count][];
        Parallel.For(0, Count * 4, new ParallelOptions { MaxDegreeOfParallelism = 8 }, k =>
        {
            float[] logits = engine.Logits(images[k % Count], 1);
            if (k >= Count * 3)
            {
                together[k % Count] = logits;
            }
        });

        for (int i = 0; i < Count; i++)
        {
            Assert.Equal(alone[i], together[i]);
        }
    }

    [Theory]
    [InlineData(OnnxOptimization.Disabled)]
    [InlineData(OnnxOptimization.Basic)]
    [InlineData(OnnxOptimization.Extended)]
    [InlineData(OnnxOptimization.All)]
    public void EveryOptimisationLevel_AnswersAsTheUnoptimisedGraph(OnnxOptimization level)
    {
        float[] images = Images(0, 500);
        using var plain = new OnnxEngine(s_shipped.Value, new OnnxEngineOptions { Optimization = OnnxOptimization.Disabled });
        using var optimised = new OnnxEngine(s_shipped.Value, new OnnxEngineOptions { Optimization = level, IntraOpThreads = 2 });

        double difference = Outputs.MaxDifference(plain.Probabilities(images, 500), optimised.Probabilities(images, 500));

        Assert.True(difference <= 1e-5, $"{level} differs by {difference:E2}.");
    }

    [Fact]
    public void Logits_PixelsThatAreNotWholeImages_ThrowsArgumentExceptionEchoingTheShape()
    {
        using var engine = new OnnxEngine(s_shipped.Value);

        var e = Assert.Throws<ArgumentException>(() => engine.Logits(new float[Pixels + 3], 1));

        Assert.StartsWith("Expected 784 values, 1 image of [1, 28, 28]; received 787.", e.Message);
    }

    [Fact]
    public void Constructor_BytesThatAreNotAnOnnxModel_ThrowsInvalidDataException()
    {
        byte[] notOnnx = File.ReadAllBytes(ShippedModel.Locate());

        var e = Assert.Throws<InvalidDataException>(() => new OnnxEngine(notOnnx));

        Assert.StartsWith($"The {notOnnx.Length:N0} bytes given are not an ONNX model ONNX Runtime can load", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Constructor_NoThreads_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new OnnxEngine(s_shipped.Value, new OnnxEngineOptions { IntraOpThreads = 0 }));
    }
}
