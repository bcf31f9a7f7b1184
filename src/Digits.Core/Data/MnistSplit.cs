namespace Digits.Core.Data;

/// <summary>Which of the two official MNIST sets.</summary>
public enum MnistSplit
{
    /// <summary>The 60,000 training images.</summary>
    Train,

    /// <summary>The 10,000 test images.</summary>
    Test,
}
