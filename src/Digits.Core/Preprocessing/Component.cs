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
        Array.Clear(labels, 0, width * height);
        var components = new List<Component>();
        var stack = new Stack<int>();
        for (int start = 0; start < width * height; start++)
        {
            if (!mask[start] || labels[start] != 0)
            {
                continue;
            }
            int id = components.Count + 1;
            int area = 0;
            int left = width;
            int top = height;
            int right = -1;
            int bottom = -1;
            labels[start] = id;
            stack.Push(start);
            while (stack.Count > 0)
            {
                int i = stack.Pop();
                int x = i % width;
                int y = i / width;
                area++;
                (left, right, top, bottom) = (Math.Min(left, x), Math.Max(right, x), Math.Min(top, y), Math.Max(bottom, y));
                for (int dy = -1; dy <= 1; dy++)
                {
                    int ny = y + dy;
                    if (ny < 0 || ny >= height)
                    {
                        continue;
                    }
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int nx = x + dx;
                        int n = (ny * width) + nx;
                        if (nx >= 0 && nx < width && mask[n] && labels[n] == 0)
                        {
                            labels[n] = id;
                            stack.Push(n);
                        }
                    }
                }
            }
            components.Add(new Component(id, area, left, top, right, bottom));
        }
        return components;
    }
}
