namespace Digits.Core.Data;

/// <summary>How an image folder's pictures are read: resized to a square of <paramref name="Size"/>, grey or colour.</summary>
/// <param name="Size">The side every picture is resized to, pixels.</param>
/// <param name="Channels">1 for grey (luminance), 3 for colour (RGB).</param>
/// <param name="Crop">Crop each picture to its centred square before resizing (Keras's <c>crop_to_aspect_ratio</c>) instead of squashing it.</param>
public sealed record PictureFormat(int Size, int Channels, bool Crop = false);
