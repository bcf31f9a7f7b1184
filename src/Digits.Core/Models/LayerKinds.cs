namespace Digits.Core.Models;

/// <summary>
/// The <c>type</c> of each layer in a layer list, the one place each is spelled: the JSON names, the names of the
/// built modules (<c>conv2d_1</c>) and the kinds <see cref="LayerInfo"/> reports.
/// </summary>
public static class LayerKinds
{
    /// <summary>A 2-D convolution (<see cref="Conv2dLayer"/>).</summary>
    public const string Conv2d = "conv2d";

    /// <summary>Max pooling (<see cref="MaxPoolLayer"/>).</summary>
    public const string MaxPool = "maxpool";

    /// <summary>Average pooling (<see cref="AvgPoolLayer"/>).</summary>
    public const string AvgPool = "avgpool";

    /// <summary>Global average pooling (<see cref="GlobalAvgPoolLayer"/>).</summary>
    public const string GlobalAvgPool = "globalavgpool";

    /// <summary>Batch normalisation (<see cref="BatchNormLayer"/>).</summary>
    public const string BatchNorm = "batchnorm";

    /// <summary>Dropout of single values (<see cref="DropoutLayer"/>).</summary>
    public const string Dropout = "dropout";

    /// <summary>Dropout of whole channels (<see cref="Dropout2dLayer"/>).</summary>
    public const string Dropout2d = "dropout2d";

    /// <summary>Flattening an image to a vector (<see cref="FlattenLayer"/>).</summary>
    public const string Flatten = "flatten";

    /// <summary>A fully connected layer (<see cref="DenseLayer"/>).</summary>
    public const string Dense = "dense";

    /// <summary>The rectifier, as a layer or an <c>activation</c>.</summary>
    public const string Relu = "relu";

    /// <summary>The hyperbolic tangent, as a layer or an <c>activation</c>.</summary>
    public const string Tanh = "tanh";

    /// <summary>The logistic sigmoid, as a layer or an <c>activation</c>.</summary>
    public const string Sigmoid = "sigmoid";

    /// <summary>The Gaussian error linear unit, as a layer or an <c>activation</c>.</summary>
    public const string Gelu = "gelu";

    /// <summary>The activations, as layers of their own or as a conv2d's or dense layer's <c>activation</c>.</summary>
    public static IReadOnlyList<string> Activations { get; } = [Relu, Tanh, Sigmoid, Gelu];

    /// <summary>Every layer type a layer list may use.</summary>
    public static IReadOnlyList<string> All { get; } = [Conv2d, MaxPool, AvgPool, GlobalAvgPool, BatchNorm, Dropout, Dropout2d, Flatten, Dense, .. Activations];
}
