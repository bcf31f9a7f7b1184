using System.Buffers;

namespace Digits.Core.Preprocessing;

/// <summary>
/// Finds a picture's ink: the background level is the median of the border, which also gives the polarity; ink
/// is the difference from it, thresholded with Otsu's method; specks far smaller than the main strokes are dropped;
/// then the kept ink is brought to <see cref="WorkingResolution"/> and checked by <see cref="DigitChecks"/>.
/// </summary>
internal static class InkFinder
{
    /// <summary>Below this contrast between the strongest ink and the background, the picture is blank.</summary>
    private const float BlankContrast = 0.15f;

    /// <summary>Otsu's threshold is kept at least this far above the background, so paper grain is not ink.</summary>
    private const float MinThreshold = 0.08f;

    /// <summary>Components smaller than this share of the largest are specks (dust, JPEG noise) and are dropped.</summary>
    private const double SpeckShare = 0.04;

    /// <summary>Ink covering fewer pixels than this is blank: a 3x4 dot cannot be a digit at any size.</summary>
    private const int MinInkPixels = 12;

    /// <summary>Ink whose box is under 2% of the picture's longer side (a 10 px dot on a 500 px page) is nearly blank.</summary>
    private const double MinInkSide = 0.02;

    /// <summary>Pictures more than twice this size on their longer side are first reduced to about it.</summary>
    private const int ReducedSide = 140;

    /// <summary>
    /// Finds the ink, drops specks, checks it, and returns its mask at the working resolution. A big picture is
    /// first reduced by keeping the inkiest pixel of each block (thin lines survive); when the digit turns out
    /// small in it, its neighbourhood is read again at full resolution.
    /// </summary>
    internal static Ink Find(GreyImage image)
    {
        float background = BorderMedian(image);
        int factor = Math.Max(1, Math.Max(image.Width, image.Height) / ReducedSide);
        if (factor == 1)
        {
            return FindInkAt(image, background);
        }
        Ink reduced = FindInkAt(Reduce(image, factor, IsDarkInk(background)), background);
        if (reduced.Blank is not null || Math.Max(reduced.Box.Width, reduced.Box.Height) >= WorkingResolution.MinSide)
        {
            return reduced;
        }
        Box box = reduced.Box;
        int margin = Math.Max(box.Width, box.Height) * factor / 4;
        int left = Math.Max(0, (box.Left * factor) - margin);
        int top = Math.Max(0, (box.Top * factor) - margin);
        int right = Math.Min(image.Width, ((box.Left + box.Width) * factor) + margin);
        int bottom = Math.Min(image.Height, ((box.Top + box.Height) * factor) + margin);
        return FindInkAt(Crop(image, left, top, right - left, bottom - top), background);
    }

    /// <summary>Each <paramref name="factor"/>-square block becomes its inkiest pixel: the darkest for dark ink, else the lightest.</summary>
    private static GreyImage Reduce(GreyImage image, int factor, bool darkInk)
    {
        int width = (image.Width + factor - 1) / factor;
        int height = (image.Height + factor - 1) / factor;
        var pixels = new float[width * height];
        Array.Fill(pixels, darkInk ? 1f : 0f);
        for (int y = 0; y < image.Height; y++)
        {
            ReadOnlySpan<float> source = image.Pixels.AsSpan(y * image.Width, image.Width);
            Span<float> target = pixels.AsSpan(y / factor * width, width);
            for (int block = 0, x = 0; block < width; block++)
            {
                float inkiest = target[block];
                int end = Math.Min(x + factor, image.Width);
                // The polarity is tested once per block, and plain comparisons replace Math.Min and Math.Max (whose
                // care for NaN, which decoded pixels never are, costs): this loop sees every pixel of a big picture.
                if (darkInk)
                {
                    for (; x < end; x++)
                    {
                        inkiest = source[x] < inkiest ? source[x] : inkiest;
                    }
                }
                else
                {
                    for (; x < end; x++)
                    {
                        inkiest = source[x] > inkiest ? source[x] : inkiest;
                    }
                }
                target[block] = inkiest;
            }
        }
        return new GreyImage(width, height, pixels);
    }

    private static GreyImage Crop(GreyImage image, int left, int top, int width, int height)
    {
        var pixels = new float[width * height];
        for (int y = 0; y < height; y++)
        {
            Array.Copy(image.Pixels, ((top + y) * image.Width) + left, pixels, y * width, width);
        }
        return new GreyImage(width, height, pixels);
    }

    /// <summary>Finds the ink of <paramref name="image"/> against a known background level.</summary>
    private static Ink FindInkAt(GreyImage image, float background)
    {
        int width = image.Width;
        int height = image.Height;
        int count = width * height;
        // Full-size scratch arrays are rented: at a canvas's size they would land on the large-object heap each call.
        float[] ink = ArrayPool<float>.Shared.Rent(count);
        bool[] mask = ArrayPool<bool>.Shared.Rent(count);
        int[] labels = ArrayPool<int>.Shared.Rent(count);
        try
        {
            float strongest = InkFromBackground(image, background, ink);
            if (strongest < BlankContrast)
            {
                return Ink.Empty("The picture is blank: no stroke stands out from the background.");
            }
            float threshold = Math.Max(OtsuThreshold(ink.AsSpan(0, count), strongest), MinThreshold);
            for (int i = 0; i < count; i++)
            {
                mask[i] = ink[i] > threshold;
            }
            List<Component> components = Component.Label(mask, width, height, labels);
            int largest = components.Count == 0 ? 0 : components.Max(c => c.Area);
            List<Component> kept = [.. components.Where(c => c.Area >= largest * SpeckShare)];
            int keptArea = kept.Sum(c => c.Area);
            Box box = Box.Around(kept);
            if (keptArea < MinInkPixels || Math.Max(box.Width, box.Height) < MinInkSide * Math.Max(width, height))
            {
                return Ink.Empty("The picture is nearly blank: there is only a dot of ink.");
            }
            // Indexed by component id; id 0 (below the threshold) stays, as the faint edge of strokes.
            var keep = new bool[components.Count + 1];
            keep[0] = true;
            foreach (Component component in kept)
            {
                keep[component.Id] = true;
            }
            (bool[] work, int workWidth, int workHeight) = WorkingResolution.Mask(ink, labels, keep, threshold, width, box);
            string? notOneDigit = DigitChecks.NotOneDigit(kept, components.Count - kept.Count, box, components.Sum(c => c.Area) - keptArea, keptArea);
            return new Ink(work, workWidth, workHeight, box, null, notOneDigit);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(ink);
            ArrayPool<bool>.Shared.Return(mask);
            ArrayPool<int>.Shared.Return(labels);
        }
    }

    /// <summary>
    /// Writes the ink strength in [0, 1] of each pixel to <paramref name="ink"/> and returns the strongest: the difference from the background level, the median of the border,
    /// whose brightness also tells dark ink on light paper from light ink on a dark ground.
    /// </summary>
    private static float InkFromBackground(GreyImage image, float background, float[] ink)
    {
        bool darkInk = IsDarkInk(background);
        float range = darkInk ? background : 1 - background;
        // The polarity is chosen so that at least half the range is left for the ink.
        float scale = 1 / range;
        float[] source = image.Pixels;
        float strongest = 0;
        // Two loops rather than a test of the polarity at each of a canvas's 78,400 pixels.
        if (darkInk)
        {
            for (int i = 0; i < source.Length; i++)
            {
                ink[i] = Math.Clamp((background - source[i]) * scale, 0, 1);
                strongest = Math.Max(strongest, ink[i]);
            }
        }
        else
        {
            for (int i = 0; i < source.Length; i++)
            {
                ink[i] = Math.Clamp((source[i] - background) * scale, 0, 1);
                strongest = Math.Max(strongest, ink[i]);
            }
        }
        return strongest;
    }

    /// <summary>A light background means dark ink on it; a dark one, light ink.</summary>
    private static bool IsDarkInk(float background) => background >= 0.5f;

    private static float BorderMedian(GreyImage image)
    {
        int w = image.Width;
        int h = image.Height;
        var border = new List<float>((2 * w) + (2 * h));
        for (int x = 0; x < w; x++)
        {
            border.Add(image.Pixels[x]);
            border.Add(image.Pixels[((h - 1) * w) + x]);
        }
        for (int y = 1; y < h - 1; y++)
        {
            border.Add(image.Pixels[y * w]);
            border.Add(image.Pixels[(y * w) + w - 1]);
        }
        border.Sort();
        return border[border.Count / 2];
    }

    /// <summary>Otsu's threshold: the level that maximises the variance between ink and background, over 256 levels up to the strongest ink.</summary>
    private static float OtsuThreshold(ReadOnlySpan<float> ink, float strongest)
    {
        const int Levels = 256;
        var histogram = new long[Levels];
        // Most of a picture is background, whose ink is exactly 0 and goes to level 0 without a division.
        long background = 0;
        foreach (float v in ink)
        {
            if (v == 0)
            {
                background++;
                continue;
            }
            histogram[Math.Min(Levels - 1, (int)(v / strongest * (Levels - 1)))]++;
        }
        histogram[0] += background;
        double total = ink.Length;
        double sumAll = 0;
        for (int i = 0; i < Levels; i++)
        {
            sumAll += i * (double)histogram[i];
        }
        double sumBelow = 0;
        double countBelow = 0;
        double bestVariance = -1;
        int bestLevel = Levels / 2;
        for (int level = 0; level < Levels - 1; level++)
        {
            countBelow += histogram[level];
            sumBelow += level * (double)histogram[level];
            double countAbove = total - countBelow;
            if (countBelow == 0 || countAbove == 0)
            {
                continue;
            }
            double meanBelow = sumBelow / countBelow;
            double meanAbove = (sumAll - sumBelow) / countAbove;
            double variance = countBelow * countAbove * (meanBelow - meanAbove) * (meanBelow - meanAbove);
            if (variance > bestVariance)
            {
                bestVariance = variance;
                bestLevel = level;
            }
        }
        return (bestLevel + 0.5f) / (Levels - 1) * strongest;
    }
}

/// <summary>The ink at the working resolution, or why there is none, and why it may not be one digit.</summary>
internal sealed record Ink(bool[] Mask, int Width, int Height, Box Box, string? Blank, string? NotOneDigit)
{
    public static Ink Empty(string reason) => new([], 0, 0, default, reason, null);
}

/// <summary>The bounding box of some components, in pixels.</summary>
internal readonly record struct Box(int Left, int Top, int Width, int Height)
{
    public static Box Around(List<Component> components) => components.Count == 0
        ? new Box(0, 0, 1, 1)
        : new Box(
            components.Min(c => c.Left),
            components.Min(c => c.Top),
            components.Max(c => c.Right) - components.Min(c => c.Left) + 1,
            components.Max(c => c.Bottom) - components.Min(c => c.Top) + 1);
}
