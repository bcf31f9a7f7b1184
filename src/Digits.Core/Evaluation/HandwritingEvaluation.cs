using Digits.Core.Data;
using Digits.Core.Inference;
using Digits.Core.Preprocessing;
using static TorchSharp.torch;

namespace Digits.Core.Evaluation;

/// <summary>
/// Scores a predictor on pictures of handwriting taken through the whole product path (render or decode,
/// prepare, predict): pen-tablet strokes drawn as on a canvas, and the synthetic stress set.
/// </summary>
public static class HandwritingEvaluation
{
    /// <summary>Prepares (in parallel) and predicts <paramref name="digits"/>, grouping the accuracy by writer.</summary>
    public static HandwritingScore Score(Predictor predictor, IReadOnlyList<PenDigit> digits)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(digits);
        return HandwritingScore.From(predictor.PredictMany(PenDigit.PrepareAll(digits)), [.. digits.Select(d => d.Label)], [.. digits.Select(d => d.Writer)]);
    }

    /// <summary>
    /// Builds the stress set from the first <paramref name="count"/> images of <paramref name="test"/> (seeded),
    /// then decodes, prepares and predicts each JPEG.
    /// </summary>
    public static HandwritingScore ScoreStress(Predictor predictor, MnistDataset test, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(test);
        count = Math.Min(count, test.Count);
        float[] pixels;
        long[] labels;
        using (NewDisposeScope())
        {
            pixels = test.Images.narrow(0, 0, count).contiguous().data<float>().ToArray();
            labels = test.Labels.narrow(0, 0, count).data<long>().ToArray();
        }
        const int Size = MnistGeometry.Size * MnistGeometry.Size;
        var prepared = new PreparedPicture[count];
        Parallel.For(0, count, i =>
        {
            // One generator per image, so the set is the same whatever the order the threads take
            // (HashCode.Combine would differ between processes).
            byte[] jpeg = StressSet.Make(pixels.AsSpan(i * Size, Size), new Random(unchecked((seed * 1_000_003) + i)));
            prepared[i] = ImagePreprocessor.Prepare(ImageDecoder.Decode(jpeg));
        });
        return HandwritingScore.From(predictor.PredictMany(prepared), [.. labels.Select(l => (int)l)], null);
    }
}
