namespace Digits.Core.Models;

/// <summary>
/// Input normalisation applied inside a network: <c>(x - Mean) / Std</c> on pixels scaled to [0, 1].
/// </summary>
public sealed record Normalization(float Mean, float Std)
{
    /// <summary>
    /// 0.1307 and 0.3081 are the mean and standard deviation of the MNIST training pixels scaled to [0, 1],
    /// the values the PyTorch MNIST example normalises with.
    /// </summary>
    public static Normalization Mnist { get; } = new(0.1307f, 0.3081f);
}
