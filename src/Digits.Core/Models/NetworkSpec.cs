using System.Text.Json;
using System.Text.Json.Serialization;

namespace Digits.Core.Models;

/// <summary>
/// A whole network as data: the input shape and the layers in order. The last layer must output
/// <see cref="OutputUnits"/> values: logits, to which the loss applies the softmax or the sigmoid.
/// </summary>
/// <param name="Layers">The layers, first to last.</param>
public sealed record NetworkSpec(IReadOnlyList<LayerSpec> Layers)
{
    /// <summary>The input shape [channels, height, width]. Defaults to [1, 28, 28], an MNIST digit.</summary>
    public IReadOnlyList<int> Input { get; init; } = [1, 28, 28];

    /// <summary>The number of classes the network tells apart. Defaults to 10, the digits.</summary>
    public int Classes { get; init; } = 10;

    /// <summary>
    /// How the last layer's outputs become probabilities: <see cref="Softmax"/> (one logit per class, cross-entropy) or,
    /// for two classes, <see cref="Sigmoid"/> (one logit for the second class, binary cross-entropy, as Keras's
    /// <c>Dense(1, activation="sigmoid")</c>). Defaults to softmax.
    /// </summary>
    public string Output { get; init; } = Softmax;

    /// <summary>The number of values the last layer gives: one for a sigmoid output, else one per class.</summary>
    [JsonIgnore]
    public int OutputUnits => Output == Sigmoid ? 1 : Classes;

    /// <summary>
    /// For a network trained on an image folder: whether pictures are cropped to their centred square before they are
    /// resized to the input (Keras's <c>crop_to_aspect_ratio</c>), rather than squashed. Defaults to false.
    /// </summary>
    public bool CropToSquare { get; init; }

    /// <summary>The classes' names, one per class (an image folder's sub-folders); null for the digits 0 to 9.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>The <see cref="Output"/> of a network with one logit per class.</summary>
    public const string Softmax = "softmax";

    /// <summary>The <see cref="Output"/> of a two-class network with one logit.</summary>
    public const string Sigmoid = "sigmoid";

    /// <summary>How specs are written in model files and layer-list JSON files.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowOutOfOrderMetadataProperties = true,
        // A file edited by hand or by a stranger must not give records that break their own promises: a null where the
        // type says never, or a missing value that has no default, is refused as it is read rather than failing later.
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>
    /// The sentence for a layer without a <c>type</c>, which System.Text.Json refuses with a
    /// <see cref="NotSupportedException"/> (it cannot make the abstract <see cref="LayerSpec"/>) naming the JSON path.
    /// </summary>
    internal static string MissingType(NotSupportedException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        const string PathMarker = "Path: ";
        int at = e.Message.IndexOf(PathMarker, StringComparison.Ordinal);
        string path = at < 0 ? "" : $" at {e.Message[(at + PathMarker.Length)..].Split(' ', 2)[0]}";
        return $"the layer{path} has no \"type\"; give one of {string.Join(", ", LayerKinds.All)}, as in {{\"type\": \"conv2d\", \"filters\": 32, \"kernel\": 3}}.";
    }

    /// <summary>Writes the spec as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a spec from JSON, with a message that names the problem when it is not one.</summary>
    /// <exception cref="InvalidDataException">The text is not a valid network spec.</exception>
    public static NetworkSpec FromJson(string json, string source)
    {
        NetworkSpec? spec;
        try
        {
            spec = JsonSerializer.Deserialize<NetworkSpec>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(
                $"'{source}' is not a valid layer list: {e.Message} Layers look like {{\"type\": \"conv2d\", \"filters\": 32, \"kernel\": 3}}; " +
                $"known types: {string.Join(", ", LayerKinds.All)}.", e);
        }
        catch (NotSupportedException e)
        {
            throw new InvalidDataException($"'{source}' is not a valid layer list: {MissingType(e)}", e);
        }
        if (spec?.Layers is null || spec.Layers.Count == 0)
        {
            throw new InvalidDataException($"'{source}' has no layers; give a \"layers\" array.");
        }
        return spec;
    }
}
