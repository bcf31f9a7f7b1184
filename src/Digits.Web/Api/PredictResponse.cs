namespace Digits.Web.Api;

/// <summary>The answer of <c>POST /api/predict</c>.</summary>
/// <param name="Digit">The most likely digit (the best guess when <paramref name="NotSure"/>).</param>
/// <param name="Confidence">Its calibrated probability, in [0, 1].</param>
/// <param name="Probabilities">The ten calibrated probabilities, digit 0 first.</param>
/// <param name="NotSure">True when the model abstains.</param>
/// <param name="NoDigit">
/// True when the picture holds nothing to guess at (blank, a dot, a filled blob): show "?", not <paramref name="Digit"/>
/// or the probabilities, which are the model's output on nothing.
/// </param>
/// <param name="Reason">Why it abstains, for a person; null when it does not.</param>
/// <param name="ModelId">The model that answered.</param>
/// <param name="Seen">The 28x28 image the model saw: 784 values 0-255, row by row, white ink on black.</param>
public sealed record PredictResponse(
    int Digit, float Confidence, float[] Probabilities, bool NotSure, bool NoDigit, string? Reason, string ModelId, int[] Seen);
