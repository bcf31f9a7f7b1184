using System.Buffers;

namespace Digits.Core.Preprocessing;

/// <summary>An 8-connected piece of ink: its label, pixel count and bounding box (inclusive).</summary>
internal sealed record Component(int Id, int Area, int Left, int Top, int Right, int Bottom)
{
    /// <summary>
    /// Labels the 8-connected components of the first <c>width * height</c> pixels of <paramref name="mask"/>.
    /// <paramref name="labels"/> (at least as long) receives each pixel's component id, from 1, or 0 for background.
    /// </summary>
    public static List<Component> Label(bool[] mask, int width, int height, int[] labels)
    {
        int count = width * height;
        Array.Clear(labels, 0, count);
        var components = new List<Component>();
        // Each pixel is pushed at most once, so a stack as long as the picture never overflows.
        int[] stack = ArrayPool<int>.Shared.Rent(count);
        try
        {
            for (int start = 0; start < count; start++)
            {
                if (mask[start] && labels[start] == 0)
                {
                    components.Add(Fill(mask, width, height, labels, stack, start, components.Count + 1));
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(stack);
        }
        return components;
    }

    /// <summary>Labels the component of <paramref name="start"/> with <paramref name="id"/>, depth first.</summary>
    private static Component Fill(bool[] mask, int width, int height, int[] labels, int[] stack, int start, int id)
    {
        int area = 0;
        int left = width;
        int top = height;
        int right = -1;
        int bottom = -1;
        int depth = 0;
        labels[start] = id;
        stack[depth++] = start;
        while (depth > 0)
        {
            int i = stack[--depth];
            int y = i / width;
            int x = i - (y * width);
            area++;
            (left, right, top, bottom) = (Math.Min(left, x), Math.Max(right, x), Math.Min(top, y), Math.Max(bottom, y));
            int fromX = Math.Max(0, x - 1);
            int toX = Math.Min(width - 1, x + 1);
            for (int ny = Math.Max(0, y - 1), toY = Math.Min(height - 1, y + 1); ny <= toY; ny++)
            {
                int row = ny * width;
                for (int n = row + fromX; n <= row + toX; n++)
                {
                    if (mask[n] && labels[n] == 0)
                    {
                        labels[n] = id;
                        stack[depth++] = n;
                    }
                }
            }
        }
        return new Component(id, area, left, top, right, bottom);
    }
}
