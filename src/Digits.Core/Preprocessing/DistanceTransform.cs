namespace Digits.Core.Preprocessing;

/// <summary>
/// The 3-4 chamfer distance transform (Borgefors, 1986): two raster passes with integer steps of 3 to a side
/// neighbour and 4 to a diagonal one, within 8% of the Euclidean distance. Used to grow or shrink strokes by
/// a radius of a few pixels, where that precision is plenty and an exact transform costs ten times more.
/// </summary>
internal static class DistanceTransform
{
    private const int Side = 3;
    private const int Diagonal = 4;
    private const int Far = int.MaxValue / 2;

    /// <summary>For each pixel, the distance in pixels to the nearest pixel where <paramref name="target"/> is true.</summary>
    public static float[] DistanceTo(bool[] target, int width, int height)
    {
        var d = new int[width * height];
        for (int i = 0; i < d.Length; i++)
        {
            d[i] = target[i] ? 0 : Far;
        }
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int i = (y * width) + x;
                int best = d[i];
                if (x > 0)
                {
                    best = Math.Min(best, d[i - 1] + Side);
                }
                if (y > 0)
                {
                    best = Math.Min(best, d[i - width] + Side);
                    best = x > 0 ? Math.Min(best, d[i - width - 1] + Diagonal) : best;
                    best = x < width - 1 ? Math.Min(best, d[i - width + 1] + Diagonal) : best;
                }
                d[i] = best;
            }
        }
        for (int y = height - 1; y >= 0; y--)
        {
            for (int x = width - 1; x >= 0; x--)
            {
                int i = (y * width) + x;
                int best = d[i];
                if (x < width - 1)
                {
                    best = Math.Min(best, d[i + 1] + Side);
                }
                if (y < height - 1)
                {
                    best = Math.Min(best, d[i + width] + Side);
                    best = x < width - 1 ? Math.Min(best, d[i + width + 1] + Diagonal) : best;
                    best = x > 0 ? Math.Min(best, d[i + width - 1] + Diagonal) : best;
                }
                d[i] = best;
            }
        }
        var distance = new float[d.Length];
        for (int i = 0; i < d.Length; i++)
        {
            distance[i] = d[i] / (float)Side;
        }
        return distance;
    }
}
