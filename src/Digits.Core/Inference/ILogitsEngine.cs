namespace Digits.Core.Inference;

/// <summary>
/// What computes a model's logits for <see cref="Predictor"/>: libtorch (<see cref="TorchEngine"/>) or another runtime
/// on the same model (Digits.Onnx's ONNX Runtime engine). Implementations are thread-safe: concurrent calls share no
/// mutable state.
/// </summary>
public interface ILogitsEngine : IDisposable
{
    /// <summary>The engine's name, as <c>--engine</c> spells it: <c>torch</c>, <c>onnx</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// The logits of <paramref name="count"/> inputs laid one after another in <paramref name="values"/>, each in the
    /// model's input layout <c>[channels, height, width]</c>: <c>count x classes</c> values, row by row.
    /// </summary>
    public float[] Logits(float[] values, int count);
}
