namespace Digits.Core.Preprocessing;

/// <summary>
/// Thins a mask to its skeleton, lines one pixel wide along the middle of its strokes that keep their ends and how
/// they join: Zhang and Suen's parallel thinning (1984), peeling the south-east and then the north-west border in turns
/// until nothing changes. Outside the mask counts as background.
/// </summary>
public static class Skeleton
{
    /// <summary>Thins <paramref name="mask"/>, row-major <paramref name="width"/> by <paramref name="height"/>, in place.</summary>
    public static void Thin(bool[] mask, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (mask.Length != width * height)
        {
            throw new ArgumentException($"The mask holds {mask.Length} pixels, not {width}x{height}.", nameof(mask));
        }
        var removed = new List<int>();
        bool changed = true;
        while (changed)
        {
            changed = Peel(mask, width, height, southEast: true, removed) | Peel(mask, width, height, southEast: false, removed);
        }
    }

    /// <summary>One sub-iteration: removes every border pixel of one side that the rules allow, all at once.</summary>
    private static bool Peel(bool[] mask, int width, int height, bool southEast, List<int> removed)
    {
        removed.Clear();
        Span<bool> around = stackalloc bool[8];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                if (!mask[(y * width) + x])
                {
                    continue;
                }
                // Clockwise from north: P2 (north), P3 (north-east), P4 (east), ... P9 (north-west).
                around[0] = At(mask, width, height, x, y - 1);
                around[1] = At(mask, width, height, x + 1, y - 1);
                around[2] = At(mask, width, height, x + 1, y);
                around[3] = At(mask, width, height, x + 1, y + 1);
                around[4] = At(mask, width, height, x, y + 1);
                around[5] = At(mask, width, height, x - 1, y + 1);
                around[6] = At(mask, width, height, x - 1, y);
                around[7] = At(mask, width, height, x - 1, y - 1);
                int neighbours = 0;
                int rises = 0;
                for (int i = 0; i < 8; i++)
                {
                    neighbours += around[i] ? 1 : 0;
                    rises += !around[i] && around[(i + 1) % 8] ? 1 : 0;
                }
                bool north = around[0], east = around[2], south = around[4], west = around[6];
                bool side = southEast
                    ? !(north && east && south) && !(east && south && west)
                    : !(north && east && west) && !(north && south && west);
                if (neighbours is >= 2 and <= 6 && rises == 1 && side)
                {
                    removed.Add((y * width) + x);
                }
            }
        }
        foreach (int at in removed)
        {
            mask[at] = false;
        }
        return removed.Count > 0;
    }

    private static bool At(bool[] mask, int width, int height, int x, int y) =>
        x >= 0 && y >= 0 && x < width && y < height && mask[(y * width) + x];
}
