namespace Digits.Core.Inference;

/// <summary>One convolution's feature maps for one picture, each stretched to [0, 1] from its own minimum to maximum.</summary>
/// <param name="Layer">The layer's name, e.g. <c>conv2d_1</c>.</param>
/// <param name="Channels">How many maps the layer has in all (<paramref name="Maps"/> may hold fewer).</param>
/// <param name="Height">Each map's height, pixels.</param>
/// <param name="Width">Each map's width, pixels.</param>
/// <param name="Maps">The first maps, each <paramref name="Height"/> x <paramref name="Width"/> values row by row.</param>
public sealed record FeatureMaps(string Layer, int Channels, int Height, int Width, IReadOnlyList<float[]> Maps);
