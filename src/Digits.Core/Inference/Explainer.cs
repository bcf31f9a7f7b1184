using Digits.Core.Preprocessing;

namespace Digits.Core.Inference;

/// <summary>
/// Why a digit model answers what it does: an occlusion saliency map (a square of background slid over the picture,
/// all positions in one batch, each pixel scored by the mean drop in the answer's probability when it is hidden) and
/// the first feature maps of each convolution.
/// </summary>
internal static class Explainer
{
    /// <summary>The side of the square hidden, pixels of the 28x28 image: about a stroke's width and a half of its gap.</summary>
    private const int OcclusionPatch = 6;

    /// <summary>The step of that square, pixels.</summary>
    private const int OcclusionStride = 2;

    private const int Side = MnistGeometry.Size;
    private const int Pixels = Side * Side;
    private const int Steps = ((Side - OcclusionPatch) / OcclusionStride) + 1;

    public static Explanation Explain(Predictor predictor, PreparedPicture digit, int mapsPerLayer)
    {
        int classes = predictor.Classes.Count;
        var batch = new float[(1 + (Steps * Steps)) * Pixels];
        for (int copy = 0; copy <= Steps * Steps; copy++)
        {
            Array.Copy(digit.Pixels, 0, batch, copy * Pixels, Pixels);
        }
        for (int k = 0; k < Steps * Steps; k++)
        {
            (int top, int left) = Corner(k);
            for (int y = top; y < top + OcclusionPatch; y++)
            {
                Array.Clear(batch, ((1 + k) * Pixels) + (y * Side) + left, OcclusionPatch);
            }
        }
        float[] logits = predictor.Logits(batch, 1 + (Steps * Steps));
        Prediction prediction = predictor.Decide(digit, logits.AsSpan(0, classes));
        var drop = new float[Pixels];
        var covered = new int[Pixels];
        for (int k = 0; k < Steps * Steps; k++)
        {
            float[] hidden = predictor.Probabilities(logits.AsSpan((1 + k) * classes, classes));
            float lost = Math.Max(0, prediction.Confidence - hidden[prediction.Digit]);
            (int top, int left) = Corner(k);
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
        return new Explanation(prediction, drop, predictor.FeatureMaps(digit.Pixels, mapsPerLayer));
    }

    private static (int Top, int Left) Corner(int k) => (k / Steps * OcclusionStride, k % Steps * OcclusionStride);
}
