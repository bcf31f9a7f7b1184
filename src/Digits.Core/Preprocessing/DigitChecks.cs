namespace Digits.Core.Preprocessing;

/// <summary>Whether the kept ink looks like one digit: not a line of text, not noise, not several characters.</summary>
internal static class DigitChecks
{
    /// <summary>Components at least this share of the largest count as parts of the writing.</summary>
    private const double PartShare = 0.15;

    /// <summary>More parts than this are not one digit (a 4, 5 or 7 written with pen lifts has two or three).</summary>
    private const int MaxParts = 4;

    /// <summary>Ink wider than tall by more than this looks like a line of text.</summary>
    private const double MaxAspect = 2.0;

    /// <summary>Two side-by-side groups each at least this share of the ink's height look like two characters.</summary>
    private const double CharacterHeightShare = 0.6;

    /// <summary>More dropped specks than this, holding more ink than the kept strokes, is noise (a digit's JPEG speckle leaves a few).</summary>
    private const int NoiseSpecks = 40;

    /// <summary>
    /// Ink whose longer side is under this many stroke widths is a dot or a filled blob. A filled disc or square
    /// measures 2 or less, a tap of the page's 18 px pen 1.9, and one that slides up to 7 px 1.9 to 2.15; the 7,494
    /// pendigits digits drawn on the 280 px canvas measure at least 7.2 at their usual size, and at least 2.33 drawn
    /// 56 px tall (a fifth of the canvas, and a third of their usual size).
    /// </summary>
    private const double MinSideInStrokes = 2.25;

    /// <summary>Why the ink of <paramref name="mask"/> (its bounding box) has no strokes to read, or null.</summary>
    internal static string? Shapeless(bool[] mask, int width, int height)
    {
        double strokes = Math.Max(width, height) / StrokeWeight.Measure(mask, width, height);
        return strokes < MinSideInStrokes ? "The ink is a dot or a filled blob, not the strokes of a digit; draw the digit with lines." : null;
    }

    /// <summary>A reason the kept ink is not one digit, or null.</summary>
    internal static string? NotOneDigit(List<Component> kept, int specks, Box box, int speckArea, int keptArea)
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
}
