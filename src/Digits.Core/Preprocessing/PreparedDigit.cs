namespace Digits.Core.Preprocessing;

/// <summary>A picture brought to MNIST form.</summary>
/// <param name="Pixels">784 values in [0, 1], 28x28 row by row, white ink on black, as MNIST.</param>
/// <param name="Problem">Why the picture is not one digit, or <see cref="InkProblem.None"/>.</param>
/// <param name="Detail">A sentence for a person explaining <paramref name="Problem"/>, or null.</param>
public sealed record PreparedDigit(float[] Pixels, InkProblem Problem, string? Detail)
{
    /// <summary>True when the ink looks like one digit.</summary>
    public bool IsDigit => Problem == InkProblem.None;
}
