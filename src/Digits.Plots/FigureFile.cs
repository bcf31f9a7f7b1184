using Digits.Core.Persistence;
using ScottPlot;
using SkiaSharp;

namespace Digits.Plots;

/// <summary>
/// Writes figures as PNG or SVG, chosen by the file's extension, atomically (<see cref="AtomicFile"/>).
/// </summary>
public static class FigureFile
{
    /// <summary>The extensions understood.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".svg"];

    /// <summary>The default figure size, pixels.</summary>
    public const int DefaultWidth = 1000;

    /// <inheritdoc cref="DefaultWidth"/>
    public const int DefaultHeight = 700;

    /// <summary>Refuses a figure path that does not end in one of <see cref="Extensions"/>, before any work is done for it.</summary>
    /// <exception cref="ArgumentException">Not .png or .svg.</exception>
    public static void CheckPath(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!Extensions.Contains(Path.GetExtension(path).ToLowerInvariant()))
        {
            throw new ArgumentException($"Cannot write '{path}': the file name must end in .png or .svg.", nameof(path));
        }
    }

    /// <summary>Draws with <paramref name="draw"/> on a <paramref name="width"/> x <paramref name="height"/> canvas and writes it to <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">Not .png or .svg, or a size that is not positive.</exception>
    public static void Write(string path, int width, int height, Action<SKCanvas> draw)
    {
        CheckPath(path);
        ArgumentNullException.ThrowIfNull(draw);
        if (width is < 16 or > 10_000 || height is < 16 or > 10_000)
        {
            throw new ArgumentException($"The figure must be 16 to 10,000 pixels on each side; received {width}x{height}.");
        }
        AtomicFile.Write(path, stream =>
        {
            if (Path.GetExtension(path).Equals(".svg", StringComparison.OrdinalIgnoreCase))
            {
                using var managed = new SKManagedWStream(stream);
                using SKCanvas svg = SKSvgCanvas.Create(SKRect.Create(width, height), managed);
                draw(svg);
            }
            else
            {
                stream.Write(Png(width, height, draw));
            }
        });
    }

    /// <summary>Draws with <paramref name="draw"/> on a <paramref name="width"/> x <paramref name="height"/> canvas and returns it as PNG bytes.</summary>
    public static byte[] Png(int width, int height, Action<SKCanvas> draw)
    {
        ArgumentNullException.ThrowIfNull(draw);
        using var surface = SKSurface.Create(new SKImageInfo(width, height));
        draw(surface.Canvas);
        using SKImage image = surface.Snapshot();
        using SKData png = image.Encode(SKEncodedImageFormat.Png, 100);
        return png.ToArray();
    }

    /// <summary>Writes one ScottPlot plot.</summary>
    public static void Write(string path, int width, int height, Plot plot)
    {
        ArgumentNullException.ThrowIfNull(plot);
        Write(path, width, height, canvas => plot.Render(canvas, width, height));
    }

    /// <summary>Writes plots side by side.</summary>
    public static void Write(string path, int width, int height, params Plot[] plots) =>
        Write(path, width, height, canvas => Render(canvas, width, height, plots));

    /// <summary>Draws plots side by side on a canvas.</summary>
    public static void Render(SKCanvas canvas, int width, int height, params Plot[] plots)
    {
        ArgumentNullException.ThrowIfNull(plots);
        if (plots.Length == 0)
        {
            throw new ArgumentException("There is no plot to draw.", nameof(plots));
        }
        // The constructor's plot is the first subplot.
        var multiplot = new Multiplot(plots[0]) { Layout = new ScottPlot.MultiplotLayouts.Columns() };
        foreach (Plot plot in plots.Skip(1))
        {
            multiplot.Subplots.Add(plot);
        }
        multiplot.Render(canvas, new PixelRect(0, width, height, 0));
    }
}
