namespace Digits.Core.Preprocessing;

/// <summary>How MNIST digits were made, which every picture is brought to before prediction.</summary>
public static class MnistGeometry
{
    /// <summary>MNIST images are 28x28.</summary>
    public const int Size = 28;

    /// <summary>Each digit was scaled, keeping its aspect ratio, so that its longer side is 20 px (LeCun et al.).</summary>
    public const int DigitBox = 20;

    /// <summary>
    /// The typical stroke width of an MNIST digit, in 28x28 pixels: the median of
    /// <see cref="ImagePreprocessor.MeasureStrokeWidth"/> over the first 5,000 training digits is 2.69 (10% are
    /// under 2.09, 10% over 3.65). Strokes are brought near it so that a hairline or a fat marker looks like the
    /// pens MNIST was written with.
    /// </summary>
    public const double StrokeWidth = 2.7;
}
