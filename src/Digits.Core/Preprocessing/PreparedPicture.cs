namespace Digits.Core.Preprocessing;

/// <summary>
/// A picture brought to what a model reads: for a digit model, MNIST form (784 values, 28x28 row by row, white ink on
/// black); for a model trained on an image folder, the picture resized as in training (<c>[channels, size, size]</c>).
/// </summary>
/// <param name="Pixels">The values in [0, 1], in the model's input layout.</param>
/// <param name="Problem">Why the picture cannot be read as one digit, or <see cref="InkProblem.None"/>.</param>
/// <param name="Detail">A sentence for a person explaining <paramref name="Problem"/>, or null.</param>
public sealed record PreparedPicture(float[] Pixels, InkProblem Problem, string? Detail)
{
    /// <summary>True when nothing stops the model answering: for a digit, the ink looks like one.</summary>
    public bool IsReadable => Problem == InkProblem.None;
}
