namespace Digits.Core.Preprocessing;

/// <summary>
/// The width of a mask's strokes, and strokes grown or shrunk towards MNIST's width as it will be after scaling
/// into the 20 px box.
/// </summary>
public static class StrokeWeight
{
    /// <summary>
    /// Strokes from 0.8 to 1.3 times MNIST's width are left as they are: MNIST's own digits span 0.78 to 1.35
    /// times its median width between the 10th and 90th percentiles (2.09 to 3.65 px against 2.69).
    /// </summary>
    private const double ThinLimit = 0.8;

    /// <inheritdoc cref="ThinLimit"/>
    private const double ThickLimit = 1.3;

    /// <summary>Erosion never removes more than this share of a stroke's width, so thin parts of a fat stroke survive.</summary>
    private const double MaxErosionShare = 0.3;

    /// <summary>
    /// The typical stroke width of a mask, in pixels: area divided by half the perimeter, the perimeter being
    /// the count of ink/background pixel edges scaled by π/4 (a boundary at a random angle crosses 4/π times
    /// as many pixel edges as its length).
    /// </summary>
    public static double Measure(bool[] mask, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(mask);
        long area = 0;
        long edges = 0;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                if (!mask[(y * width) + x])
                {
                    continue;
                }
                area++;
                edges += (x == 0 || !mask[(y * width) + x - 1] ? 1 : 0)
                    + (x == width - 1 || !mask[(y * width) + x + 1] ? 1 : 0)
                    + (y == 0 || !mask[((y - 1) * width) + x] ? 1 : 0)
                    + (y == height - 1 || !mask[((y + 1) * width) + x] ? 1 : 0);
            }
        }
        return edges == 0 ? 0 : 2 * area / (edges * Math.PI / 4);
    }

    /// <summary>
    /// Grows or shrinks strokes towards MNIST's width as it will be after scaling into the 20 px box, by
    /// thresholding the distance to the nearest ink (growing) or background (shrinking).
    /// </summary>
    internal static bool[] Normalise(bool[] mask, ref int width, ref int height)
    {
        double stroke = Measure(mask, width, height);
        double scale = MnistGeometry.DigitBox / (double)Math.Max(width, height);
        double target = MnistGeometry.StrokeWidth / scale;
        if (stroke <= 0 || (stroke >= target * ThinLimit && stroke <= target * ThickLimit))
        {
            return mask;
        }
        if (stroke < target)
        {
            double radius = (target - stroke) / 2;
            int margin = (int)Math.Ceiling(radius);
            (bool[] padded, int w, int h) = Pad(mask, width, height, margin);
            float[] distance = DistanceTransform.DistanceTo(padded, w, h);
            for (int i = 0; i < padded.Length; i++)
            {
                padded[i] = distance[i] <= radius;
            }
            (width, height) = (w, h);
            return padded;
        }
        double shrink = Math.Min((stroke - target) / 2, stroke * MaxErosionShare);
        // One pixel of background all round, so strokes touching the box's edge are thinned from that side too.
        (bool[] framed, int fw, int fh) = Pad(mask, width, height, 1);
        var background = new bool[framed.Length];
        for (int i = 0; i < framed.Length; i++)
        {
            background[i] = !framed[i];
        }
        float[] toBackground = DistanceTransform.DistanceTo(background, fw, fh);
        // A pixel's own distance to the background is at least 1, so the radius is measured from the stroke's edge pixels.
        double keep = shrink + 1;
        var eroded = new bool[mask.Length];
        bool any = false;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = (y * width) + x;
                eroded[i] = mask[i] && toBackground[((y + 1) * fw) + x + 1] >= keep;
                any |= eroded[i];
            }
        }
        return any ? eroded : mask;
    }

    private static (bool[] Mask, int Width, int Height) Pad(bool[] mask, int width, int height, int margin)
    {
        int w = width + (2 * margin);
        int h = height + (2 * margin);
        var padded = new bool[w * h];
        for (int y = 0; y < height; y++)
        {
            Array.Copy(mask, y * width, padded, ((y + margin) * w) + margin, width);
        }
        return (padded, w, h);
    }
}
