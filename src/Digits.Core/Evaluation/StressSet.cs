using Digits.Core.Preprocessing;
using SkiaSharp;

namespace Digits.Core.Evaluation;

/// <summary>
/// MNIST test digits made to look like people's photos and scans: enlarged to a random size, strokes made
/// thinner or thicker, inverted to dark ink on white, pasted at a random place on a 500x500 page, and saved
/// as JPEG at a random quality. A model that reads these as well as the plain digits has preprocessing that
/// undoes what real pictures do.
/// </summary>
public static class StressSet
{
    /// <summary>The page side, pixels.</summary>
    public const int PageSize = 500;

    /// <summary>The digit's 28x28 image is enlarged to a side between these, pixels.</summary>
    private const int MinSide = 60;

    private const int MaxSide = 400;

    /// <summary>Strokes are eroded or dilated by up to this share of an MNIST pixel's size at the enlarged scale.</summary>
    private const float MaxStrokeChange = 0.8f;

    /// <summary>JPEG qualities drawn from, as phones and scanners save.</summary>
    private const int MinQuality = 30;

    private const int MaxQuality = 90;

    /// <summary>
    /// One stress picture, JPEG-encoded, from a 28x28 MNIST image (white on black, values in [0, 1]).
    /// </summary>
    /// <param name="pixels">784 values, row by row.</param>
    /// <param name="random">The source of the random size, place, stroke change and quality.</param>
    public static byte[] Make(ReadOnlySpan<float> pixels, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        const int Mnist = 28;
        if (pixels.Length != Mnist * Mnist)
        {
            throw new ArgumentException($"A stress picture is made from 784 pixels; received {pixels.Length}.", nameof(pixels));
        }
        // Inverted here: dark ink on white paper.
        var inverted = new float[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            inverted[i] = 1 - pixels[i];
        }
        using SKBitmap digit = new GreyImage(Mnist, Mnist, inverted).ToBitmap();
        int side = random.Next(MinSide, MaxSide + 1);
        float change = ((random.NextSingle() * 2) - 1) * MaxStrokeChange * side / Mnist;
        int x = random.Next(0, PageSize - side + 1);
        int y = random.Next(0, PageSize - side + 1);
        int quality = random.Next(MinQuality, MaxQuality + 1);

        using var page = new SKBitmap(new SKImageInfo(PageSize, PageSize, SKColorType.Gray8, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(page))
        using (SKImage image = SKImage.FromBitmap(digit))
        using (var paint = new SKPaint())
        {
            canvas.Clear(SKColors.White);
            // On dark ink, eroding the image grows the strokes and dilating shrinks them.
            float radius = MathF.Abs(change);
            using SKImageFilter? filter = radius < 0.5f
                ? null
                : change > 0 ? SKImageFilter.CreateErode(radius, radius) : SKImageFilter.CreateDilate(radius, radius);
            paint.ImageFilter = filter;
            canvas.DrawImage(image, SKRect.Create(x, y, side, side), new SKSamplingOptions(SKFilterMode.Linear), paint);
        }
        using SKData jpeg = page.Encode(SKEncodedImageFormat.Jpeg, quality);
        return jpeg.ToArray();
    }
}
