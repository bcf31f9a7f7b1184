using System.Buffers;

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
/// 28x28 image.
/// </remarks>
public static class ImagePreprocessor
{
    /// <summary>Below this contrast between the strongest ink and the background, the picture is blank.</summary>
    private const float BlankContrast = 0.15f;

    /// <summary>Otsu's threshold is kept at least this far above the background, so paper grain is not ink.</summary>
    private const float MinThreshold = 0.08f;

    /// <summary>Components smaller than this share of the largest are specks (dust, JPEG noise) and are dropped.</summary>
    private const double SpeckShare = 0.04;

    /// <summary>Components at least this share of the largest count as parts of the writing.</summary>
    private const double PartShare = 0.15;

    /// <summary>More parts than this are not one digit (a 4, 5 or 7 written with pen lifts has two or three).</summary>
    private const int MaxParts = 4;

    /// <summary>Ink wider than tall by more than this looks like a line of text.</summary>
    private const double MaxAspect = 2.0;

    /// <summary>Two side-by-side groups each at least this share of the ink's height look like two characters.</summary>
    private const double CharacterHeightShare = 0.6;

    /// <summary>Ink covering fewer pixels than this is blank: a 3x4 dot cannot be a digit at any size.</summary>
    private const int MinInkPixels = 12;

    /// <summary>Ink whose box is under 2% of the picture's longer side (a 10 px dot on a 500 px page) is nearly blank.</summary>
    private const double MinInkSide = 0.02;

    /// <summary>
    /// The working resolution of the ink's longer side: at least 64 px, so that each of the 20 target pixels
    /// averages three or more source pixels (smooth anti-aliasing), and at most 112 px (5.6 per target pixel),
    /// beyond which the result no longer changes and the time grows with the square.
    /// </summary>
    private const int MinWorkingSide = 64;

    /// <inheritdoc cref="MinWorkingSide"/>
    private const int MaxWorkingSide = 112;

    /// <summary>Pictures more than twice this size on their longer side are first reduced to about it.</summary>
    private const int ReducedSide = 140;

    /// <summary>
    /// Strokes from 0.8 to 1.3 times MNIST's width are left as they are: MNIST's own digits span 0.78 to 1.35
    /// times its median width between the 10th and 90th percentiles (2.09 to 3.65 px against 2.69).
    /// </summary>
    private const double ThinLimit = 0.8;

    /// <inheritdoc cref="ThinLimit"/>
    private const double ThickLimit = 1.3;

    /// <summary>More dropped specks than this, holding more ink than the kept strokes, is noise (a digit's JPEG speckle leaves a few).</summary>
    private const int NoiseSpecks = 40;

    /// <summary>Erosion never removes more than this share of a stroke's width, so thin parts of a fat stroke survive.</summary>
    private const double MaxErosionShare = 0.3;

    /// <summary>Prepares a decoded picture.</summary>
    public static PreparedPicture Prepare(GreyImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        Ink ink = FindInk(image);
        if (ink.Blank is not null)
        {
            return new PreparedPicture(new float[MnistGeometry.Size * MnistGeometry.Size], InkProblem.Blank, ink.Blank);
        }
        int width = ink.Width;
        int height = ink.Height;
        bool[] mask = NormaliseStrokeWidth(ink.Mask, ref width, ref height);
        float[] pixels = CentreByMass(mask, width, height);
        return ink.NotOneDigit is null
            ? new PreparedPicture(pixels, InkProblem.None, null)
            : new PreparedPicture(pixels, InkProblem.NotOneDigit, ink.NotOneDigit);
    }

    /// <summary>
    /// The stroke width of the picture's ink as it would be in MNIST's 20 px box before any thickening or
    /// thinning, in 28x28 pixels; NaN for a blank picture. MNIST's own digits measure about <see cref="MnistGeometry.StrokeWidth"/>.
    /// </summary>
    public static double MeasureStrokeWidth(GreyImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        Ink ink = FindInk(image);
        return ink.Blank is not null
            ? double.NaN
            : StrokeWidth(ink.Mask, ink.Width, ink.Height) * MnistGeometry.DigitBox / Math.Max(ink.Width, ink.Height);
    }

    /// <summary>
    /// Finds the ink, drops specks, checks it, and returns its mask at the working resolution. A big picture is
    /// first reduced by keeping the inkiest pixel of each block (thin lines survive); when the digit turns out
    /// small in it, its neighbourhood is read again at full resolution.
    /// </summary>
    private static Ink FindInk(GreyImage image)
    {
        float background = BorderMedian(image);
        int factor = Math.Max(1, Math.Max(image.Width, image.Height) / ReducedSide);
        if (factor == 1)
        {
            return FindInkAt(image, background);
        }
        Ink reduced = FindInkAt(Reduce(image, factor, IsDarkInk(background)), background);
        if (reduced.Blank is not null || Math.Max(reduced.Box.Width, reduced.Box.Height) >= MinWorkingSide)
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
            (bool[] work, int workWidth, int workHeight) = WorkingMask(ink, labels, keep, threshold, width, box);
            string? notOneDigit = NotOneDigit(kept, components.Count - kept.Count, box, components.Sum(c => c.Area) - keptArea, keptArea);
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
    /// The typical stroke width of a mask, in pixels: area divided by half the perimeter, the perimeter being
    /// the count of ink/background pixel edges scaled by π/4 (a boundary at a random angle crosses 4/π times
    /// as many pixel edges as its length).
    /// </summary>
    public static double StrokeWidth(bool[] mask, int width, int height)
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

    /// <summary>
    /// The kept ink inside its box, at a working resolution: small pictures are enlarged with bilinear
    /// interpolation of the ink and thresholded again (smooth edges); large ones are reduced by keeping a pixel
    /// when any pixel it covers is ink, so a hairline in a big photo survives.
    /// </summary>
    private static (bool[] Mask, int Width, int Height) WorkingMask(float[] ink, int[] labels, bool[] keep, float threshold, int width, Box box)
    {
        int side = Math.Max(box.Width, box.Height);
        if (side < MinWorkingSide)
        {
            int factor = (MinWorkingSide + side - 1) / side;
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
        int shrink = (side + MaxWorkingSide - 1) / MaxWorkingSide;
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

    /// <summary>
    /// Grows or shrinks strokes towards MNIST's width as it will be after scaling into the 20 px box, by
    /// thresholding the distance to the nearest ink (growing) or background (shrinking).
    /// </summary>
    private static bool[] NormaliseStrokeWidth(bool[] mask, ref int width, ref int height)
    {
        double stroke = StrokeWidth(mask, width, height);
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

    /// <summary>
    /// Area-averages the mask into 28x28: the ink's box is scaled so its longer side is 20 px and shifted so the
    /// centre of mass lands on the centre (14, 14), as MNIST was built, but never so far that ink leaves the image.
    /// </summary>
    private static float[] CentreByMass(bool[] mask, int width, int height)
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

    /// <summary>A reason the kept ink is not one digit, or null.</summary>
    private static string? NotOneDigit(List<Component> kept, int specks, Box box, int speckArea, int keptArea)
    {
        double aspect = box.Width / (double)box.Height;
        if (aspect > MaxAspect)
        {
            return $"The ink is {aspect:F1} times wider than it is tall, more like a line of text than one digit.";
        }
        if (specks > NoiseSpecks && speckArea > keptArea / 2)
        {
            return $"The picture is mostly scattered specks ({specks} of them), more like noise than a digit.";
        }
        int largest = kept.Max(c => c.Area);
        List<Component> parts = [.. kept.Where(c => c.Area >= largest * PartShare).OrderBy(c => c.Left)];
        if (parts.Count > MaxParts)
        {
            return $"The ink is in {parts.Count} separate pieces; write one digit per picture.";
        }
        int tallGroups = 0;
        int groupRight = -1;
        int groupTop = int.MaxValue;
        int groupBottom = -1;
        foreach (Component part in parts)
        {
            if (part.Left > groupRight && groupRight >= 0)
            {
                tallGroups += groupBottom - groupTop + 1 >= box.Height * CharacterHeightShare ? 1 : 0;
                (groupTop, groupBottom) = (int.MaxValue, -1);
            }
            groupRight = Math.Max(groupRight, part.Right);
            groupTop = Math.Min(groupTop, part.Top);
            groupBottom = Math.Max(groupBottom, part.Bottom);
        }
        tallGroups += groupBottom - groupTop + 1 >= box.Height * CharacterHeightShare ? 1 : 0;
        return tallGroups > 1 ? $"The ink looks like {tallGroups} characters side by side; write one digit per picture." : null;
    }

    /// <summary>The ink at the working resolution, or why there is none, and why it may not be one digit.</summary>
    private sealed record Ink(bool[] Mask, int Width, int Height, Box Box, string? Blank, string? NotOneDigit)
    {
        public static Ink Empty(string reason) => new([], 0, 0, default, reason, null);
    }

    /// <summary>The bounding box of some components, in pixels.</summary>
    private readonly record struct Box(int Left, int Top, int Width, int Height)
    {
        public static Box Around(List<Component> components) => components.Count == 0
            ? new Box(0, 0, 1, 1)
            : new Box(
                components.Min(c => c.Left),
                components.Min(c => c.Top),
                components.Max(c => c.Right) - components.Min(c => c.Left) + 1,
                components.Max(c => c.Bottom) - components.Min(c => c.Top) + 1);
    }
}
