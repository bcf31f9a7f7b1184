namespace Digits.Onnx;

/// <summary>Both outputs of one run, row by row: <c>[count, classes]</c> each.</summary>
/// <param name="Logits">The logits.</param>
/// <param name="Probabilities">softmax(logits / T), T the model's calibration temperature.</param>
public sealed record OnnxOutputs(float[] Logits, float[] Probabilities);
