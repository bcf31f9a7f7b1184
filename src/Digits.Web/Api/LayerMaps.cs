namespace Digits.Web.Api;

/// <summary>One convolution's feature maps in <see cref="ExplainResponse"/>.</summary>
/// <param name="Name">The layer's name.</param>
/// <param name="Channels">How many maps the layer has in all.</param>
/// <param name="Height">Each map's height.</param>
/// <param name="Width">Each map's width.</param>
/// <param name="Maps">The first maps, each Height x Width values 0-255 row by row, stretched from its own minimum to maximum.</param>
public sealed record LayerMaps(string Name, int Channels, int Height, int Width, IReadOnlyList<int[]> Maps);
