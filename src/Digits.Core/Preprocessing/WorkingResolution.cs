namespace Digits.Core.Preprocessing;

/// <summary>
/// The kept ink as a mask at the resolution the later steps work at: the ink's longer side brought between
/// <see cref="MinSide"/> and <see cref="MaxSide"/> pixels.
/// </summary>
internal static class WorkingResolution
{
    /// <summary>
    /// The working resolution of the ink's longer side: at least 64 px, so that each of the 20 target pixels
    /// averages three or more source pixels (smooth anti-aliasing), and at most 112 px (5.6 per target pixel),
    /// beyond which the result no longer changes and the time grows with the square.
    /// </summary>
    internal const int MinSide = 64;

    /// <inheritdoc cref="MinSide"/>
    internal const int MaxSide = 112;

    /// <summary>
    /// The kept ink inside its box, at a working resolution: small pictures are enlarged with bilinear
    /// interpolation of the ink and thresholded again (smooth edges); large ones are reduced by keeping a pixel
    /// when any pixel it covers is ink, so a hairline in a big photo survives.
    /// </summary>
    internal static (bool[] Mask, int Width, int Height) Mask(float[] ink, int[] labels, bool[] keep, float threshold, int width, Box box)
    {
        int side = Math.Max(box.Width, box.Height);
        if (side < MinSide)
        {
            int factor = (MinSide + side - 1) / side;
            int w = box.Width * factor;
            int h = box.Height * factor;
            var mask = new bool[w * h];
            for (int y = 0; y < h; y++)
            {
                float sy = ((y + 0.5f) / factor) - 0.5f;
                for (int x = 0; x < w; x++)
                {
                    float sx = ((x + 0.5f) / factor) - 0.5f;
                    mask[(y * w) + x] = Bilinear(ink, labels, keep, width, box, sx, sy) > threshold;
                }
            }
            return (mask, w, h);
        }
        int shrink = (side + MaxSide - 1) / MaxSide;
        int outW = (box.Width + shrink - 1) / shrink;
        int outH = (box.Height + shrink - 1) / shrink;
        var reduced = new bool[outW * outH];
        for (int y = 0; y < box.Height; y++)
        {
            int row = (box.Top + y) * width;
            for (int x = 0; x < box.Width; x++)
            {
                int i = row + box.Left + x;
                if (labels[i] != 0 && keep[labels[i]])
                {
                    reduced[((y / shrink) * outW) + (x / shrink)] = true;
                }
            }
        }
        return (reduced, outW, outH);
    }

    /// <summary>Bilinear ink at a point of the box, counting only kept components; outside the box is background.</summary>
    private static float Bilinear(float[] ink, int[] labels, bool[] keep, int width, Box box, float x, float y)
    {
        int x0 = (int)MathF.Floor(x);
        int y0 = (int)MathF.Floor(y);
        float fx = x - x0;
        float fy = y - y0;
        float Sample(int sx, int sy)
        {
            if (sx < 0 || sy < 0 || sx >= box.Width || sy >= box.Height)
            {
                return 0;
            }
            int i = ((box.Top + sy) * width) + box.Left + sx;
            // Dropped specks count as background.
            return keep[labels[i]] ? ink[i] : 0;
        }
        return ((1 - fy) * (((1 - fx) * Sample(x0, y0)) + (fx * Sample(x0 + 1, y0))))
            + (fy * (((1 - fx) * Sample(x0, y0 + 1)) + (fx * Sample(x0 + 1, y0 + 1))));
    }
}
