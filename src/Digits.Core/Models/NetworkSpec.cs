using System.Text.Json;
using System.Text.Json.Serialization;

namespace Digits.Core.Models;

/// <summary>
/// A whole network as data: the input shape and the layers in order. The last layer must output
/// <see cref="Classes"/> values (logits; the loss applies the softmax).
/// </summary>
/// <param name="Layers">The layers, first to last.</param>
public sealed record NetworkSpec(IReadOnlyList<LayerSpec> Layers)
{
    /// <summary>The input shape [channels, height, width]. Defaults to [1, 28, 28], an MNIST digit.</summary>
    public IReadOnlyList<int> Input { get; init; } = [1, 28, 28];

    /// <summary>The number of classes the network tells apart. Defaults to 10, the digits.</summary>
    public int Classes { get; init; } = 10;

    /// <summary>The classes' names, one per class (an image folder's sub-folders); null for the digits 0 to 9.</summary>
    public IReadOnlyList<string>? ClassNames { get; init; }

    /// <summary>How specs are written in model files and layer-list JSON files.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        AllowOutOfOrderMetadataProperties = true,
    };

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
                $"known types: {string.Join(", ", NetworkBuilder.KnownLayerTypes)}.", e);
        }
        if (spec?.Layers is null || spec.Layers.Count == 0)
        {
            throw new InvalidDataException($"'{source}' has no layers; give a \"layers\" array.");
        }
        return spec;
    }
}
