namespace Digits.Core.Models;

/// <summary>A named network: its layers, its input normalisation and its default training recipe.</summary>
/// <param name="Name">The registry id (<c>lenet</c>) or, for a layer-list file, the file's name.</param>
/// <param name="Description">Where the network comes from, in a sentence.</param>
/// <param name="Network">The layers.</param>
/// <param name="Normalization">Applied to [0, 1] pixels before the first layer, or null for none.</param>
/// <param name="Recipe">The default training recipe.</param>
public sealed record ModelDefinition(string Name, string Description, NetworkSpec Network, Normalization? Normalization, TrainingRecipe Recipe)
{
    /// <summary>The recipe used for a layer-list network that does not give one: Adam, batch 64, 10 epochs.</summary>
    public static TrainingRecipe DefaultRecipe { get; } = new("adam", 1e-3, 64, 10);
}
