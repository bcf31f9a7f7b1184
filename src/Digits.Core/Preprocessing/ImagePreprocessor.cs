namespace Digits.Core.Preprocessing;

/// <summary>
/// Brings any picture of one digit to what an MNIST digit is: white ink on black, the ink's bounding box
/// scaled (keeping the aspect ratio) so that its longer side is 20 px, anti-aliased, with an MNIST-like stroke
/// weight, placed in 28x28 so that the ink's centre of mass sits at the centre. Thread-safe: it keeps no state.
/// </summary>
/// <remarks>
/// The steps: the background level is the median of the border, which also gives the polarity; ink is the
/// difference from it, thresholded with Otsu's method; specks far smaller than the main strokes are dropped;
/// the ink is brought to a working resolution (small pictures enlarged, large ones reduced without losing thin
/// lines); strokes are grown or shrunk towards MNIST's width; then one area-averaging resampling produces the
/// 28x28 image. Each step has its own class: <see cref="InkFinder"/>, <see cref="WorkingResolution"/>,
/// <see cref="DigitChecks"/>, <see cref="StrokeWeight"/> and <see cref="MnistCentring"/>.
/// </remarks>
public static class ImagePreprocessor
{
    /// <summary>Prepares a decoded picture.</summary>
    public static PreparedPicture Prepare(GreyImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        Ink ink = InkFinder.Find(image);
        if (ink.Blank is not null)
        {
            return new PreparedPicture(new float[MnistGeometry.Size * MnistGeometry.Size], InkProblem.Blank, ink.Blank);
        }
        int width = ink.Width;
        int height = ink.Height;
        string? shapeless = DigitChecks.Shapeless(ink.Mask, width, height);
        bool[] mask = StrokeWeight.Normalise(ink.Mask, ref width, ref height);
        float[] pixels = MnistCentring.CentreByMass(mask, width, height);
        return (shapeless, ink.NotOneDigit) switch
        {
            (string why, _) => new PreparedPicture(pixels, InkProblem.Shapeless, why),
            (null, string why) => new PreparedPicture(pixels, InkProblem.NotOneDigit, why),
            _ => new PreparedPicture(pixels, InkProblem.None, null),
        };
    }

    /// <summary>
    /// The stroke width of the picture's ink as it would be in MNIST's 20 px box before any thickening or
    /// thinning, in 28x28 pixels; NaN for a blank picture. MNIST's own digits measure about <see cref="MnistGeometry.StrokeWidth"/>.
    /// </summary>
    public static double MeasureStrokeWidth(GreyImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        Ink ink = InkFinder.Find(image);
        return ink.Blank is not null
            ? double.NaN
            : StrokeWeight.Measure(ink.Mask, ink.Width, ink.Height) * MnistGeometry.DigitBox / Math.Max(ink.Width, ink.Height);
    }
}
