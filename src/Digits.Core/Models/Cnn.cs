namespace Digits.Core.Models;

/// <summary>
/// The network of the classic Keras + Flask MNIST web app: two 5x5 "same" convolutions of 32,
/// pooling, dropout; two 3x3 "same" convolutions of 64, pooling, dropout; Dense 256, dropout, Dense 10.
/// 887,530 parameters.
/// </summary>
public static class Cnn
{
    /// <summary>The definition and the app's recipe: Adam, batch 128, 10 epochs.</summary>
    public static ModelDefinition Create() => new(
        "cnn",
        "CNN of the classic Keras + Flask MNIST web app.",
        new NetworkSpec(
        [
            new Conv2dLayer(32, 5, Padding: Conv2dLayer.Same) { Activation = LayerKinds.Relu },
            new Conv2dLayer(32, 5, Padding: Conv2dLayer.Same) { Activation = LayerKinds.Relu },
            new MaxPoolLayer(2),
            new DropoutLayer(0.25),
            new Conv2dLayer(64, 3, Padding: Conv2dLayer.Same) { Activation = LayerKinds.Relu },
            new Conv2dLayer(64, 3, Padding: Conv2dLayer.Same) { Activation = LayerKinds.Relu },
            new MaxPoolLayer(2),
            new DropoutLayer(0.25),
            new FlattenLayer(),
            new DenseLayer(256) { Activation = LayerKinds.Relu },
            new DropoutLayer(0.5),
            new DenseLayer(10),
        ]),
        Normalization: null,
        new TrainingRecipe("adam", 1e-3, BatchSize: 128, Epochs: 10));
}
