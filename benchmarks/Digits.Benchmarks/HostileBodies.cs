using System.Globalization;
using System.Text;
using Digits.Core.Data;
using Digits.Core.Evaluation;
using Digits.Core.Preprocessing;
using Digits.Tests.Support;
using Digits.Web;
using SkiaSharp;

namespace Digits.Benchmarks;

/// <summary>Request bodies for <c>POST /api/predict</c> built to cost the server as much as its limits allow, and one ordinary drawing.</summary>
public static class HostileBodies
{
    public static IEnumerable<(string Name, string ContentType, byte[] Body)> All(ServeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Json = "application/json";
        int side = DigitRequestReader.MaxCanvasSide;
        int points = DigitRequestReader.MaxStrokePoints;

        PenDigit seven = PenDigitsFile.Load(Path.Combine(SharedData.Folder(), "data", "pendigits", "pendigits-tra.jsonl.gz")).First(d => d.Label == 7);
        yield return ("canvas PNG 280x280 as a data URL (the page)", Json, Encoding.UTF8.GetBytes($"{{\"image\":\"data:image/png;base64,{Convert.ToBase64String(Pictures.Png(seven.Draw()))}\"}}"));
        yield return ("strokes: 5,000-point zigzag, 2048 canvas, 2048 pen", Json, Strokes(ZigZag(points, side), side, side));
        yield return ("strokes: 5,000-point zigzag, 2048 canvas, 512 pen", Json, Strokes(ZigZag(points, side), side, side, 512));
        yield return ("strokes: 5,000-point zigzag, 2048 canvas, 3 pen", Json, Strokes(ZigZag(points, side), side, side, 3));
        yield return ("strokes: 5,000 points in a 3 px square, 2048 canvas, 512 pen", Json, Strokes([[.. Enumerable.Range(0, points).Select(i => (1000f + (i % 3), 1000f + (i / 3 % 3)))]], side, side, 512));
        yield return ("strokes: 2,500 two-point strokes, 2048 canvas, 256 pen", Json, Strokes([.. Enumerable.Range(0, points / 2).Select(i => new[] { (i * 7f % side, i * 13f % side), ((i * 7f % side) + 50, (i * 13f % side) + 50) })], side, side, 256));
        yield return ("strokes: 5,000-point zigzag, 280 canvas, 70 pen", Json, Strokes(ZigZag(points, 280), 280, 280, 70));
        // At the ink limit: four canvases' worth, the pen counted as at least a twentieth of the canvas.
        foreach (int pen in (int[])[1, 14, 30, 70])
        {
            int across = MostAccepted(n => StrokeRenderer.Render([[.. ZigZag(n, 280)[0].Select(p => new SKPoint(p.X, p.Y))]], 280, 280, pen));
            yield return ($"strokes: {across}-point zigzag, 280 canvas, {pen} pen (the ink limit)", Json, Strokes(ZigZag(across, 280), 280, 280, pen));
        }
        yield return ("strokes: 110,000 points, a whole 1 MB body of them", Json, Strokes(ZigZag(110_000, 280), 280, 280, 18));
        yield return ("strokes: 5,000-point zigzag 4 px tall, 280 canvas, 1 pen", Json, Strokes([[.. Enumerable.Range(0, points).Select(i => (i * 0.056f, i % 2 == 0 ? 138f : 142f))]], 280, 280, 1));

        int width = (int)Math.Sqrt(options.MaxImagePixels * 4 / 3.0);
        int height = (int)(options.MaxImagePixels / width);
        yield return ($"PNG {width}x{height}, blank white (the pixel limit)", "image/png", HostilePictures.BlankPng(width, height));
        yield return ($"PNG {width}x{height}, a digit drawn across it", "image/png", HostilePictures.BigDigitPng(seven, width, height));
        yield return ($"BMP, RLE8 claiming {width}x{height} in 1 KB", "image/bmp", HostilePictures.RleBmp(width, height));
        yield return ($"WebP {width}x{height}, a digit drawn across it", "image/webp", HostilePictures.BigDigit(seven, width, height, SKEncodedImageFormat.Webp, 50));
        yield return ("JPEG 4000x3000, a digit on grainy paper (a phone photo)", "image/jpeg", HostilePictures.GrainyJpeg(seven, 4000, 3000, 20));
        yield return ($"JPEG {width * 4}x{height * 4}, a digit drawn across it, quality 10", "image/jpeg", HostilePictures.BigDigit(seven, width * 4, height * 4, SKEncodedImageFormat.Jpeg, 10));
        yield return ($"JPEG header claiming {width * 4}x{height * 4}, then nothing", "image/jpeg", HostilePictures.TruncatedJpeg(width * 4, height * 4));
    }

    /// <summary>The largest count that <paramref name="draw"/> accepts, up to the point limit.</summary>
    private static int MostAccepted(Action<int> draw)
    {
        int low = 1;
        int high = DigitRequestReader.MaxStrokePoints;
        while (low < high)
        {
            int middle = (low + high + 1) / 2;
            try
            {
                draw(middle);
                low = middle;
            }
            catch (ArgumentException)
            {
                high = middle - 1;
            }
        }
        return low;
    }

    /// <summary>Back and forth across the canvas, corner to corner.</summary>
    private static (float X, float Y)[][] ZigZag(int points, int side) =>
        [[.. Enumerable.Range(0, points).Select(i => (i % 2 == 0 ? 0f : side - 1f, (float)(i * 37 % side)))]];

    private static byte[] Strokes((float X, float Y)[][] strokes, int width, int height, float? pen = null)
    {
        var json = new StringBuilder("{\"strokes\":[");
        for (int s = 0; s < strokes.Length; s++)
        {
            json.Append(s == 0 ? "[" : ",[");
            for (int p = 0; p < strokes[s].Length; p++)
            {
                json.Append(CultureInfo.InvariantCulture, $"{(p == 0 ? "" : ",")}[{strokes[s][p].X:0.#},{strokes[s][p].Y:0.#}]");
            }
            json.Append(']');
        }
        json.Append(CultureInfo.InvariantCulture, $"],\"width\":{width},\"height\":{height},\"penWidth\":{pen ?? Math.Max(width, height)}}}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }
}
