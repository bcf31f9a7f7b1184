using Digits.Core.Data;
using Digits.Core.Evaluation;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Digits.Tests.Support;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Digits.Onnx.Tests.Support;

/// <summary>The two engines' answers for the same images, and how far apart they are.</summary>
public static class Outputs
{
    /// <summary>Images per ONNX Runtime run, as Evaluator batches libtorch's.</summary>
    public const int BatchSize = Evaluator.DefaultBatchSize;

    private static readonly Lazy<MnistDataset> s_test = new(() => MnistDataset.Load(SharedMnist.Folder, MnistSplit.Test));

    private static readonly Lazy<float[]> s_testPixels = new(() => Pixels(MnistTest));

    /// <summary>The 10,000 MNIST test images; shared, never dispose.</summary>
    public static MnistDataset MnistTest => s_test.Value;

    /// <summary>The MNIST test images as one NCHW float array, 784 values per image; shared, never change.</summary>
    public static float[] MnistTestPixels => s_testPixels.Value;

    /// <summary>
    /// Digits' own outputs: the file's network as trained (not folded) in eval mode under inference mode, through
    /// <see cref="Evaluator.Logits"/>, and softmax(logits / T) with the file's temperature.
    /// </summary>
    public static OnnxOutputs Digits(SavedModel saved, MnistDataset data)
    {
        using DigitsNetwork network = saved.CreateNetwork();
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        Tensor logits = Evaluator.Logits(network, data, CPU);
        using Scalar temperature = (saved.Manifest.Calibration ?? Calibration.None).Temperature.ToScalar();
        Tensor probabilities = softmax(logits.div(temperature), 1);
        return new OnnxOutputs(logits.data<float>().ToArray(), probabilities.data<float>().ToArray());
    }

    /// <summary>The exported graph's outputs for every image of <paramref name="data"/>, in runs of <see cref="BatchSize"/>.</summary>
    public static OnnxOutputs Onnx(OnnxEngine engine, MnistDataset data)
    {
        float[] pixels = data == MnistTest ? MnistTestPixels : Pixels(data);
        int perImage = pixels.Length / data.Count;
        var logits = new List<float>();
        var probabilities = new List<float>();
        for (int start = 0; start < data.Count; start += BatchSize)
        {
            int count = Math.Min(BatchSize, data.Count - start);
            OnnxOutputs batch = engine.Run(pixels[(start * perImage)..((start + count) * perImage)], count);
            logits.AddRange(batch.Logits);
            probabilities.AddRange(batch.Probabilities);
        }
        return new OnnxOutputs([.. logits], [.. probabilities]);
    }

    /// <summary>The images as one NCHW float array.</summary>
    public static float[] Pixels(MnistDataset data) => data.Images.contiguous().data<float>().ToArray();

    /// <summary>
    /// <paramref name="count"/> deterministic pictures of <paramref name="shape"/> [C, H, W] in [0, 1] (uniform noise from
    /// <paramref name="seed"/>), labelled 0, for networks that do not take MNIST digits.
    /// </summary>
    public static MnistDataset Generated(IReadOnlyList<int> shape, int count, long seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)seed);
        Tensor images = rand([count, shape[0], shape[1], shape[2]], generator: generator);
        return new MnistDataset(images, zeros([count], ScalarType.Int64));
    }

    /// <summary>The largest absolute difference between two equally long arrays.</summary>
    public static double MaxDifference(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double largest = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            largest = Math.Max(largest, Math.Abs((double)expected[i] - actual[i]));
        }
        return largest;
    }

    /// <summary>The largest absolute value.</summary>
    public static double MaxMagnitude(float[] values) => values.Max(v => Math.Abs((double)v));
}
