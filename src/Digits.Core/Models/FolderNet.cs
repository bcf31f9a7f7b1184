namespace Digits.Core.Models;

/// <summary>
/// The network an image folder trains when none is named: blocks of a 3x3 convolution with batch norm, a ReLU and 2x2
/// pooling, doubling the filters from 16 while the picture is larger than 8 pixels (at most four blocks), then dropout,
/// a dense layer of 64 with batch norm, and one output per class. Batch norm lets Adam learn from a few hundred pictures in a
/// few dozen epochs, where the Keras book's <c>convnet-150</c> (no normalisation, RMSprop 1e-4) stays near chance.
/// </summary>
public static class FolderNet
{
    /// <summary>The smallest side pooling goes down to.</summary>
    private const int SmallestSide = 8;

    private const int MaxBlocks = 4;

    private const int FirstFilters = 16;

    /// <summary>As registered: for 64x64 colour pictures of two classes (a folder's run sizes it to its own).</summary>
    public static ModelDefinition Create() => For(64, 3, 2);

    /// <summary>The network for <paramref name="channels"/> x <paramref name="size"/> x <paramref name="size"/> pictures of <paramref name="classes"/> classes.</summary>
    public static ModelDefinition For(int size, int channels, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        var layers = new List<LayerSpec>();
        int side = size;
        int filters = FirstFilters;
        for (int block = 0; block < MaxBlocks && (block == 0 || side > SmallestSide); block++)
        {
            layers.AddRange([new Conv2dLayer(filters, 3, Padding: Conv2dLayer.Same), new BatchNormLayer(), new ReluLayer()]);
            if (side >= 2 * 2)
            {
                layers.Add(new MaxPoolLayer(2));
                side /= 2;
            }
            filters *= 2;
        }
        layers.AddRange([new FlattenLayer(), new DropoutLayer(0.3), new DenseLayer(64), new BatchNormLayer(), new ReluLayer(), new DenseLayer(classes)]);
        return new ModelDefinition(
            "foldernet",
            "Digits' network for image folders: batch-normalised 3x3 convolutions sized to the pictures, then a small dense layer.",
            new NetworkSpec(layers) { Input = [channels, size, size], Classes = classes },
            Normalization: null,
            new TrainingRecipe("adam", 2e-3, BatchSize: 16, Epochs: 16) { Schedule = "onecycle", Augment = "shift=0.1,zoom=0.1,flip" });
    }
}
