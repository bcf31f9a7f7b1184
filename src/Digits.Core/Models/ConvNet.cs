namespace Digits.Core.Models;

/// <summary>
/// The convnet of the Keras book (Deep Learning with Python, chapter 5): three 3x3 convolutions
/// (32, 64, 64) with pooling after the first two, then Dense 64 and Dense 10. 93,322 parameters.
/// </summary>
public static class ConvNet
{
    /// <summary>The definition and the book's recipe: RMSprop, batch 64, 5 epochs.</summary>
    public static ModelDefinition Create() => new(
        "convnet",
        "Small convnet of the Keras book.",
        new NetworkSpec(
        [
            new Conv2dLayer(32, 3) { Activation = LayerKinds.Relu },
            new MaxPoolLayer(2),
            new Conv2dLayer(64, 3) { Activation = LayerKinds.Relu },
            new MaxPoolLayer(2),
            new Conv2dLayer(64, 3) { Activation = LayerKinds.Relu },
            new FlattenLayer(),
            new DenseLayer(64) { Activation = LayerKinds.Relu },
            new DenseLayer(10),
        ]),
        Normalization: null,
        new TrainingRecipe("rmsprop", 1e-3, BatchSize: 64, Epochs: 5));
}
