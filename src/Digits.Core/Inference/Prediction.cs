namespace Digits.Core.Inference;

/// <summary>What the model says about one picture.</summary>
/// <param name="Digit">
/// The most likely class's index (for a digit model, the digit): the answer, or the best guess when <paramref name="NotSure"/>.
/// </param>
/// <param name="Confidence">The calibrated probability of <paramref name="Digit"/>, in [0, 1].</param>
/// <param name="Probabilities">The calibrated probabilities of every class, summing to 1.</param>
/// <param name="NotSure">True when the model abstains: low confidence, a blank picture, or ink that is not one digit.</param>
/// <param name="Reason">Why it abstains, in a sentence for a person; null when it does not.</param>
public sealed record Prediction(int Digit, float Confidence, float[] Probabilities, bool NotSure, string? Reason)
{
    /// <summary>The answer's class name: the digit for a digit model, the image folder's name otherwise.</summary>
    public string Label { get; init; } = Digit.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// True when the picture holds nothing to guess at (blank, a dot, a filled blob): then <see cref="NotSure"/> is
    /// true, and <see cref="Digit"/> and the probabilities are the model's output on nothing, to be shown as "?", never as an answer.
    /// </summary>
    public bool NoDigit { get; init; }

    /// <summary>The <paramref name="count"/> most likely classes (indices), best first.</summary>
    public IReadOnlyList<(int Digit, float Probability)> Top(int count) =>
        [.. Probabilities.Select((p, d) => (d, p)).OrderByDescending(x => x.p).Take(count)];
}
