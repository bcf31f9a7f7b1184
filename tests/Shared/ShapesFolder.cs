using SkiaSharp;

namespace Digits.Tests.Support;

/// <summary>
/// A small real image-classification task written to disk: circles, squares and triangles of random size, position
/// and colour on random backgrounds, as PNG and JPEG files in one folder per class.
/// </summary>
public static class ShapesFolder
{
    /// <summary>The classes, as their folders are named.</summary>
    public static IReadOnlyList<string> Classes { get; } = ["circle", "square", "triangle"];

    /// <summary>
    /// Writes <paramref name="perClass"/> pictures of each shape, <paramref name="size"/> pixels square, under
    /// <paramref name="directory"/>; of the first <paramref name="classes"/> shapes only when given (2: circles and squares).
    /// </summary>
    public static void Write(string directory, int perClass, int size, int seed, int? classes = null)
    {
        var random = new Random(seed);
        for (int c = 0; c < (classes ?? Classes.Count); c++)
        {
            string folder = Path.Combine(directory, Classes[c]);
            Directory.CreateDirectory(folder);
            for (int i = 0; i < perClass; i++)
            {
                bool jpeg = i % 2 == 1;
                File.WriteAllBytes(Path.Combine(folder, $"{i:D4}{(jpeg ? ".jpg" : ".png")}"), Draw(c, size, random, jpeg));
            }
        }
    }

    /// <summary>
    /// A small network for the shapes, as JSON: three 3x3 convolutions of 16, 32 and 64 filters, each followed by a batch
    /// norm, a ReLU and a 2x2 max pool, then a dense layer of 64 ReLUs and one of <paramref name="units"/>. Its
    /// <c>"input"</c>, <c>"classes"</c> and <c>"output"</c> are written only when given; left out, they are the data's.
    /// </summary>
    public static string NetworkJson(int units, IReadOnlyList<int>? input = null, int? classes = null, string? output = null)
    {
        var fields = new List<string>();
        if (input is not null)
        {
            fields.Add($"\"input\": [{string.Join(", ", input)}]");
        }
        if (classes is not null)
        {
            fields.Add($"\"classes\": {classes}");
        }
        if (output is not null)
        {
            fields.Add($"\"output\": \"{output}\"");
        }
        fields.Add($$"""
            "layers": [
              {"type": "conv2d", "filters": 16, "kernel": 3}, {"type": "batchnorm"}, {"type": "relu"}, {"type": "maxpool", "size": 2},
              {"type": "conv2d", "filters": 32, "kernel": 3}, {"type": "batchnorm"}, {"type": "relu"}, {"type": "maxpool", "size": 2},
              {"type": "conv2d", "filters": 64, "kernel": 3}, {"type": "batchnorm"}, {"type": "relu"}, {"type": "maxpool", "size": 2},
              {"type": "flatten"}, {"type": "dense", "units": 64, "activation": "relu"}, {"type": "dense", "units": {{units}}}
            ]
            """);
        return "{" + string.Join(", ", fields) + "}";
    }

    private static byte[] Draw(int shape, int size, Random random, bool jpeg)
    {
        using var bitmap = new SKBitmap(size, size);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { IsAntialias = true, Color = RandomColour(random) })
        {
            SKColor background;
            do
            {
                background = RandomColour(random);
            }
            while (Math.Abs(background.Red - paint.Color.Red) + Math.Abs(background.Green - paint.Color.Green) + Math.Abs(background.Blue - paint.Color.Blue) < 150);
            canvas.Clear(background);
            float radius = size * (0.15f + (0.2f * random.NextSingle()));
            float x = radius + (random.NextSingle() * (size - (2 * radius)));
            float y = radius + (random.NextSingle() * (size - (2 * radius)));
            switch (shape)
            {
                case 0:
                    canvas.DrawCircle(x, y, radius, paint);
                    break;
                case 1:
                    canvas.DrawRect(x - radius, y - radius, 2 * radius, 2 * radius, paint);
                    break;
                default:
                    using (var path = new SKPath())
                    {
                        path.MoveTo(x, y - radius);
                        path.LineTo(x + radius, y + radius);
                        path.LineTo(x - radius, y + radius);
                        path.Close();
                        canvas.DrawPath(path, paint);
                    }
                    break;
            }
        }
        using SKData data = bitmap.Encode(jpeg ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Png, 90);
        return data.ToArray();
    }

    /// <summary>A random colour (the background is drawn again until it stands apart from the shape).</summary>
    private static SKColor RandomColour(Random random) => new((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
}
