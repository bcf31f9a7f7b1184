namespace Digits.Core.Models;

/// <summary>
/// The named networks. Adding one is a file in Models/ and one line here.
/// A name ending in <c>.json</c> is read as a layer-list file instead.
/// </summary>
public static class ModelRegistry
{
    private static readonly Dictionary<string, Func<ModelDefinition>> s_models = new(StringComparer.Ordinal)
    {
        ["mlp"] = Mlp.Create,
        ["lenet"] = LeNet.Create,
        ["convnet"] = ConvNet.Create,
        ["convnet-150"] = ConvNet150.Create,
        ["cnn"] = Cnn.Create,
        ["cnn-bn"] = CnnBn.Create,
        ["digitnet"] = DigitNet.Create,
        ["foldernet"] = FolderNet.Create,
    };

    /// <summary>The registered ids, in registration order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. s_models.Keys];

    /// <summary>
    /// The definition registered as <paramref name="nameOrPath"/>, or read from it when it is a
    /// <c>.json</c> layer-list file.
    /// </summary>
    /// <exception cref="UnknownModelException">No such model.</exception>
    /// <exception cref="InvalidDataException">The layer-list file is not valid.</exception>
    public static ModelDefinition Get(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        if (s_models.TryGetValue(nameOrPath, out Func<ModelDefinition>? create))
        {
            return create();
        }
        if (nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return FromLayerListFile(nameOrPath);
        }
        throw new UnknownModelException(nameOrPath, Names);
    }

    /// <summary>Reads a layer-list JSON file; the model takes the file's name.</summary>
    public static ModelDefinition FromLayerListFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Layer-list file '{Path.GetFullPath(path)}' not found.", path);
        }
        NetworkSpec spec = NetworkSpec.FromJson(File.ReadAllText(path), path);
        string name = Path.GetFileNameWithoutExtension(path);
        var definition = new ModelDefinition(name, $"Layer list from {Path.GetFileName(path)}.", spec, Normalization: null, ModelDefinition.DefaultRecipe);
        NetworkBuilder.Build(spec).Layers.Dispose();
        return definition;
    }
}
