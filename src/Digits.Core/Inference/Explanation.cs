namespace Digits.Core.Inference;

/// <summary>Why the model answered what it did for one picture.</summary>
/// <param name="Prediction">The answer explained.</param>
/// <param name="Saliency">
/// 784 values in [0, 1], 28x28 row by row: how much hiding each pixel's neighbourhood lowers the answer's probability
/// (occlusion), relative to the largest drop. 1 marks the ink the answer rests on most.
/// </param>
/// <param name="Layers">Each convolution's feature maps, first layer first.</param>
public sealed record Explanation(Prediction Prediction, float[] Saliency, IReadOnlyList<FeatureMaps> Layers);
