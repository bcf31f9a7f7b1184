namespace Digits.Core.Preprocessing;

/// <summary>A grey image: <see cref="Pixels"/> holds <c>Width * Height</c> luminances in [0, 1] (0 black, 1 white), row by row.</summary>
public sealed class GreyImage
{
    /// <summary>Wraps <paramref name="pixels"/>, which must hold <c>width * height</c> values.</summary>
    public GreyImage(int width, int height, float[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.Length != (long)width * height)
        {
            throw new ArgumentException($"A {width}x{height} image needs {(long)width * height} pixels; received {pixels.Length}.", nameof(pixels));
        }
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Columns.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>Luminance in [0, 1], row by row.</summary>
    public float[] Pixels { get; }
}
