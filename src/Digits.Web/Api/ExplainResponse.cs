namespace Digits.Web.Api;

/// <summary>The answer of <c>POST /api/explain</c>.</summary>
/// <param name="Digit">The answer explained.</param>
/// <param name="Confidence">Its calibrated probability.</param>
/// <param name="NotSure">True when the model abstains.</param>
/// <param name="Saliency">784 values 0-255, 28x28 row by row: how much hiding each spot lowers the answer's probability (occlusion), 255 the most.</param>
/// <param name="Seen">The 28x28 image the model saw, 784 values 0-255.</param>
/// <param name="Layers">Each convolution's first feature maps.</param>
public sealed record ExplainResponse(int Digit, float Confidence, bool NotSure, int[] Saliency, int[] Seen, IReadOnlyList<LayerMaps> Layers);
