using Digits.Core.Preprocessing;

namespace Digits.Core.Tests.Preprocessing;

public sealed class SkeletonTests
{
    [Fact]
    public void Thin_ThickBar_LeavesOneLineAlongItsMiddle()
    {
        const int Width = 40, Height = 20;
        bool[] mask = Mask(Width, Height, (x, y) => x is >= 5 and < 35 && y is >= 7 and < 14);

        Skeleton.Thin(mask, Width, Height);

        // Away from the ends, every column holds one skeleton pixel, in the bar's middle row or next to it.
        for (int x = 10; x < 30; x++)
        {
            int[] rows = [.. Enumerable.Range(0, Height).Where(y => mask[(y * Width) + x])];
            Assert.Single(rows);
            Assert.InRange(rows[0], 9, 11);
        }
        Assert.All(Enumerable.Range(0, Width * Height).Where(i => mask[i]), i => Assert.InRange(i % Width, 5, 34));
    }

    [Fact]
    public void Thin_ThickRing_StaysAClosedRingOneOrTwoPixelsWide()
    {
        const int Side = 40;
        bool[] mask = Mask(Side, Side, (x, y) => Math.Sqrt(((x - 19.5) * (x - 19.5)) + ((y - 19.5) * (y - 19.5))) is >= 9 and <= 15);
        int before = mask.Count(m => m);

        Skeleton.Thin(mask, Side, Side);

        // Still a ring: the background inside cannot be reached from the border without crossing the skeleton.
        Assert.False(Reachable(mask, Side, from: (0, 0), to: (20, 20)));
        // A line, about the ring's mid circumference (2π·12 ≈ 75 pixels), not a band.
        int after = mask.Count(m => m);
        Assert.InRange(after, 60, 110);
        Assert.True(after < before / 4, $"{after} of {before} pixels left");
    }

    [Fact]
    public void Thin_MaskOfTheWrongSize_SaysSo()
    {
        var error = Assert.Throws<ArgumentException>(() => Skeleton.Thin(new bool[10], 4, 4));
        Assert.Contains("holds 10 pixels, not 4x4", error.Message, StringComparison.Ordinal);
    }

    private static bool[] Mask(int width, int height, Func<int, int, bool> inside) =>
        [.. Enumerable.Range(0, width * height).Select(i => inside(i % width, i / width))];

    /// <summary>Whether a 4-connected path through background joins the two pixels.</summary>
    private static bool Reachable(bool[] mask, int side, (int X, int Y) from, (int X, int Y) to)
    {
        var seen = new bool[mask.Length];
        var pending = new Stack<(int X, int Y)>([from]);
        while (pending.TryPop(out var at))
        {
            if (at.X < 0 || at.Y < 0 || at.X >= side || at.Y >= side || seen[(at.Y * side) + at.X] || mask[(at.Y * side) + at.X])
            {
                continue;
            }
            if (at == to)
            {
                return true;
            }
            seen[(at.Y * side) + at.X] = true;
            pending.Push((at.X + 1, at.Y));
            pending.Push((at.X - 1, at.Y));
            pending.Push((at.X, at.Y + 1));
            pending.Push((at.X, at.Y - 1));
        }
        return false;
    }
}
