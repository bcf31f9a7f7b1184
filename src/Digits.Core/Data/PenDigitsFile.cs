using System.IO.Compression;
using System.Text.Json;
using SkiaSharp;

namespace Digits.Core.Data;

/// <summary>
/// Reads pen-stroke digits from JSON Lines, gzip-compressed or not: one object per line,
/// <c>{"label":8,"writer":"w12","strokes":[[[x,y],...],...]}</c>, as the pendigits development set is stored.
/// </summary>
public static class PenDigitsFile
{
    /// <summary>True when <paramref name="path"/> is named as a stroke file: <c>.jsonl</c> or <c>.jsonl.gz</c>.</summary>
    public static bool IsStrokeFile(string path) =>
        path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".jsonl.gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>Reads every digit of the file.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">A line is not a stroke digit; the message gives its number.</exception>
    public static List<PenDigit> Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Stroke file '{Path.GetFullPath(path)}' not found.", path);
        }
        using Stream file = File.OpenRead(path);
        using Stream text = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(text);
        var digits = new List<PenDigit>();
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }
            try
            {
                digits.Add(Parse(line));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                throw new InvalidDataException($"'{path}' line {lineNumber} is not a stroke digit ({e.Message}); expected {{\"label\":0-9,\"writer\":\"…\",\"strokes\":[[[x,y],…],…]}}.", e);
            }
        }
        return digits;
    }

    private static PenDigit Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        JsonElement root = document.RootElement;
        int label = root.GetProperty("label").GetInt32();
        if (label is < 0 or > 9)
        {
            throw new FormatException($"label {label} is not a digit");
        }
        string writer = root.TryGetProperty("writer", out JsonElement w) ? w.GetString() ?? "" : "";
        var strokes = new List<IReadOnlyList<SKPoint>>();
        foreach (JsonElement stroke in root.GetProperty("strokes").EnumerateArray())
        {
            strokes.Add([.. stroke.EnumerateArray().Select(Point)]);
        }
        return new PenDigit(label, writer, strokes);
    }

    private static SKPoint Point(JsonElement point) => point.ValueKind == JsonValueKind.Array && point.GetArrayLength() == 2
        ? new SKPoint(point[0].GetSingle(), point[1].GetSingle())
        : throw new FormatException($"a point must be [x, y]; received {point.GetRawText()}");
}
