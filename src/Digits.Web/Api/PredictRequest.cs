using System.Text.Json.Serialization;

namespace Digits.Web.Api;

/// <summary>
/// The JSON body of <c>POST /api/predict</c>: exactly one of <see cref="Image"/>, <see cref="Pixels"/> or
/// <see cref="Strokes"/>.
/// </summary>
/// <param name="Image">A PNG or JPEG as a data URL (<c>data:image/png;base64,...</c>) or bare base64.</param>
/// <param name="Pixels">784 values in [0, 1], 28x28 row by row, white ink on black: an image already in MNIST form.</param>
/// <param name="Strokes">Pen strokes, each a list of [x, y] points in canvas pixels, y pointing down.</param>
/// <param name="Width">The strokes' canvas width, pixels. Defaults to 280.</param>
/// <param name="Height">The strokes' canvas height, pixels. Defaults to 280.</param>
/// <param name="PenWidth">The strokes' pen diameter, pixels. Defaults to 18.</param>
public sealed record PredictRequest(
    string? Image = null,
    float[]? Pixels = null,
    [property: JsonConverter(typeof(StrokesConverter))] float[][][]? Strokes = null,
    int? Width = null,
    int? Height = null,
    float? PenWidth = null);
