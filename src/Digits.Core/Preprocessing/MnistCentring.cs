namespace Digits.Core.Preprocessing;

/// <summary>The mask area-averaged into MNIST's 28x28, its box 20 px on the longer side and its centre of mass at the centre.</summary>
internal static class MnistCentring
{
    /// <summary>
    /// Area-averages the mask into 28x28: the ink's box is scaled so its longer side is 20 px and shifted so the
    /// centre of mass lands on the centre (14, 14), as MNIST was built, but never so far that ink leaves the image.
    /// </summary>
    internal static float[] CentreByMass(bool[] mask, int width, int height)
    {
        int left = width;
        int top = height;
        int right = -1;
        int bottom = -1;
        double sumX = 0;
        double sumY = 0;
        long area = 0;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                if (mask[(y * width) + x])
                {
                    (left, right, top, bottom) = (Math.Min(left, x), Math.Max(right, x), Math.Min(top, y), Math.Max(bottom, y));
                    sumX += x + 0.5;
                    sumY += y + 0.5;
                    area++;
                }
            }
        }
        const int Size = MnistGeometry.Size;
        var pixels = new float[Size * Size];
        if (area == 0)
        {
            return pixels;
        }
        double scale = MnistGeometry.DigitBox / (double)Math.Max(right - left + 1, bottom - top + 1);
        double originX = Placement(sumX / area, left, right + 1, scale);
        double originY = Placement(sumY / area, top, bottom + 1, scale);
        (int[] xStart, float[][] xWeights) = BoxFilter(originX, scale, width);
        (int[] yStart, float[][] yWeights) = BoxFilter(originY, scale, height);

        // Horizontal pass into rows × 28, then vertical pass into 28 × 28.
        var rows = new float[height * Size];
        for (int y = top; y <= bottom; y++)
        {
            for (int tx = 0; tx < Size; tx++)
            {
                float sum = 0;
                float[] weights = xWeights[tx];
                for (int k = 0; k < weights.Length; k++)
                {
                    if (mask[(y * width) + xStart[tx] + k])
                    {
                        sum += weights[k];
                    }
                }
                rows[(y * Size) + tx] = sum;
            }
        }
        for (int ty = 0; ty < Size; ty++)
        {
            float[] weights = yWeights[ty];
            for (int tx = 0; tx < Size; tx++)
            {
                float sum = 0;
                for (int k = 0; k < weights.Length; k++)
                {
                    sum += weights[k] * rows[((yStart[ty] + k) * Size) + tx];
                }
                pixels[(ty * Size) + tx] = Math.Min(1f, sum);
            }
        }
        return pixels;
    }

    /// <summary>
    /// The source coordinate that lands on target 0: the centre of mass goes to the centre, then the shift is
    /// limited so that the ink from <paramref name="low"/> to <paramref name="high"/> stays inside the 28 pixels.
    /// </summary>
    private static double Placement(double centre, int low, int high, double scale)
    {
        double origin = centre - (MnistGeometry.Size / 2.0 / scale);
        double lowest = high - (MnistGeometry.Size / scale);
        return Math.Clamp(origin, Math.Min(lowest, low), Math.Max(lowest, low));
    }

    /// <summary>
    /// For each of the 28 target pixels along one axis, the first source pixel it covers and the weights of the
    /// source pixels it covers (their overlap with it, times the scale, so full coverage sums to 1).
    /// </summary>
    private static (int[] Start, float[][] Weights) BoxFilter(double origin, double scale, int length)
    {
        const int Size = MnistGeometry.Size;
        var start = new int[Size];
        var weights = new float[Size][];
        for (int t = 0; t < Size; t++)
        {
            double from = origin + (t / scale);
            double to = origin + ((t + 1) / scale);
            int first = Math.Clamp((int)Math.Floor(from), 0, length);
            int last = Math.Clamp((int)Math.Ceiling(to), 0, length);
            start[t] = first;
            weights[t] = new float[Math.Max(0, last - first)];
            for (int s = first; s < last; s++)
            {
                double overlap = Math.Min(to, s + 1) - Math.Max(from, s);
                weights[t][s - first] = (float)(Math.Max(0, overlap) * scale);
            }
        }
        return (start, weights);
    }
}
