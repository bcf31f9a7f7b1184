using Digits.Core.Preprocessing;
using TorchSharp;
using static TorchSharp.torch;

namespace Digits.Core.Training;

/// <summary>
/// The pen-like pictures of <see cref="Augmentation.PenShare"/>: a digit thinned to its one-pixel skeleton and redrawn
/// with a round pen, so that its strokes have one width from end to end and round ends, as a canvas or tablet draws them
/// and a scanner of pencil on paper does not. The skeleton is found once per image (<see cref="Distances"/>, on the CPU);
/// each batch then redraws a random share at a random pen width in one tensor operation (<see cref="Apply"/>).
/// </summary>
public static class PenRedraw
{
    /// <summary>The thinnest pen, in 28x28 pixels: the preprocessing leaves strokes of 0.8 to 1.3 times MNIST's 2.7 px, 2.16 to 3.51 px.</summary>
    private const double ThinnestPen = 2.1;

    /// <summary>The thickest pen, in 28x28 pixels.</summary>
    private const double ThickestPen = 3.5;

    /// <summary>Distances are stored in steps of 1/<see cref="Steps"/> px, up to 255 steps.</summary>
    private const float Steps = 32f;

    /// <summary>No pen reaches further than this from the skeleton; farther pixels keep the largest stored distance.</summary>
    private const float Reach = 3f;

    /// <summary>
    /// For every pixel of every image (<c>[N, 1, H, W]</c> float in [0, 1], bright ink), its distance to the image's
    /// skeleton, found at twice the resolution, as <c>[N, 1, H, W]</c> uint8 in 1/32 px on the images' device.
    /// </summary>
    public static Tensor Distances(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || images.shape[1] != 1)
        {
            throw new ArgumentException($"The pen redraw takes grey pictures, [N, 1, H, W]; received [{string.Join(", ", images.shape)}].", nameof(images));
        }
        int n = (int)images.shape[0];
        int height = (int)images.shape[2];
        int width = (int)images.shape[3];
        int size = height * width;
        using Tensor cpu = images.cpu().contiguous();
        float[] pixels = cpu.data<float>().ToArray();
        byte[] distances = new byte[pixels.Length];
        Parallel.For(0, n, i => Measure(pixels.AsSpan(i * size, size), distances.AsSpan(i * size, size), width, height));
        using Tensor result = tensor(distances, [n, 1, height, width], ScalarType.Byte);
        return result.to(images.device);
    }

    /// <summary>
    /// The images with a random <paramref name="share"/> redrawn from their skeletons (<paramref name="distances"/>, as
    /// <see cref="Distances"/> gives) with a round pen 2.1 to 3.5 px wide; images without a skeleton stay as they are.
    /// </summary>
    public static Tensor Apply(Tensor images, Tensor distances, double share)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(distances);
        using var s = new ScalarScope();
        long n = images.shape[0];
        Tensor distance = distances.to_type(ScalarType.Float32).div_(s.Of(Steps));
        Tensor hasSkeleton = distance.amin([1, 2, 3]).lt(s.Of(1f));
        Tensor chosen = rand(n, device: images.device).lt(s.Of(share)).logical_and(hasSkeleton);
        // Ink where the pen's disc covers the pixel centre, with half a pixel of anti-aliasing either side of its edge.
        Tensor halfWidth = Augmentation.Uniform(n, ThinnestPen / 2, ThickestPen / 2, images.device).view(-1, 1, 1, 1);
        Tensor redrawn = halfWidth.add(s.Of(0.5f)).sub(distance).clamp_(s.Of(0f), s.Of(1f));
        return where(chosen.view(-1, 1, 1, 1), redrawn, images);
    }

    /// <summary>One image's distances to its skeleton, written into <paramref name="distances"/>.</summary>
    private static void Measure(ReadOnlySpan<float> pixels, Span<byte> distances, int width, int height)
    {
        int fineWidth = width * 2;
        int fineHeight = height * 2;
        bool[] ink = new bool[fineWidth * fineHeight];
        for (int y = 0; y < fineHeight; y++)
        {
            for (int x = 0; x < fineWidth; x++)
            {
                ink[(y * fineWidth) + x] = Bilinear(pixels, width, height, ((x + 0.5f) / 2) - 0.5f, ((y + 0.5f) / 2) - 0.5f) > 0.5f;
            }
        }
        Skeleton.Thin(ink, fineWidth, fineHeight);
        float[] nearest = new float[width * height];
        Array.Fill(nearest, Reach);
        int window = (int)MathF.Ceiling(Reach) + 1;
        for (int fy = 0; fy < fineHeight; fy++)
        {
            for (int fx = 0; fx < fineWidth; fx++)
            {
                if (!ink[(fy * fineWidth) + fx])
                {
                    continue;
                }
                // The fine pixel's centre in the image's pixels, where pixel i spans [i, i + 1).
                float cx = (fx + 0.5f) / 2;
                float cy = (fy + 0.5f) / 2;
                for (int y = Math.Max(0, (int)cy - window); y <= Math.Min(height - 1, (int)cy + window); y++)
                {
                    for (int x = Math.Max(0, (int)cx - window); x <= Math.Min(width - 1, (int)cx + window); x++)
                    {
                        float dx = x + 0.5f - cx;
                        float dy = y + 0.5f - cy;
                        float d = MathF.Sqrt((dx * dx) + (dy * dy));
                        int at = (y * width) + x;
                        if (d < nearest[at])
                        {
                            nearest[at] = d;
                        }
                    }
                }
            }
        }
        for (int i = 0; i < nearest.Length; i++)
        {
            distances[i] = (byte)Math.Min(255, MathF.Round(nearest[i] * Steps));
        }
    }

    /// <summary>The image sampled between pixel centres (pixel i's centre at i), the border extended.</summary>
    private static float Bilinear(ReadOnlySpan<float> pixels, int width, int height, float x, float y)
    {
        x = Math.Clamp(x, 0, width - 1);
        y = Math.Clamp(y, 0, height - 1);
        int x0 = (int)x;
        int y0 = (int)y;
        int x1 = Math.Min(x0 + 1, width - 1);
        int y1 = Math.Min(y0 + 1, height - 1);
        float fx = x - x0;
        float fy = y - y0;
        float top = (pixels[(y0 * width) + x0] * (1 - fx)) + (pixels[(y0 * width) + x1] * fx);
        float bottom = (pixels[(y1 * width) + x0] * (1 - fx)) + (pixels[(y1 * width) + x1] * fx);
        return (top * (1 - fy)) + (bottom * fy);
    }
}
