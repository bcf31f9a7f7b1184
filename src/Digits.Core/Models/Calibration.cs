namespace Digits.Core.Models;

/// <summary>
/// How far to trust a model's probabilities: the temperature that calibrates them (temperature scaling,
/// Guo et al. 2017) and the confidence below which the model answers "not sure", both fitted on a
/// held-out set (see <c>Evaluation.Calibrator</c>), with the expected calibration error before and after.
/// </summary>
/// <param name="Temperature">Logits are divided by it before the softmax; above 1 softens over-confident models.</param>
/// <param name="Threshold">Calibrated top probabilities below this abstain.</param>
/// <param name="ErrorBefore">Expected calibration error of the raw probabilities, in [0, 1].</param>
/// <param name="ErrorAfter">Expected calibration error after scaling, in [0, 1].</param>
public sealed record Calibration(double Temperature, double Threshold, double ErrorBefore, double ErrorAfter)
{
    /// <summary>No scaling and no abstaining on confidence, for models saved without calibration.</summary>
    public static Calibration None { get; } = new(1, 0, double.NaN, double.NaN);

    /// <summary>
    /// Writes the calibrated probabilities of one image's logits: the softmax of the logits divided by the
    /// temperature. Done in managed code, as ten numbers are cheaper here than in two more libtorch calls.
    /// </summary>
    public void Probabilities(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        if (probabilities.Length != logits.Length)
        {
            throw new ArgumentException($"Expected room for {logits.Length} probabilities; received {probabilities.Length}.", nameof(probabilities));
        }
        float largest = float.NegativeInfinity;
        foreach (float logit in logits)
        {
            largest = Math.Max(largest, logit);
        }
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            probabilities[i] = (float)Math.Exp((logits[i] - largest) / Temperature);
            sum += probabilities[i];
        }
        for (int i = 0; i < probabilities.Length; i++)
        {
            probabilities[i] = (float)(probabilities[i] / sum);
        }
    }
}
