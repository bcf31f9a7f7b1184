namespace Digits.Core.Models;

/// <summary>
/// A CNN with batch normalisation after each of its four 3x3 convolutions (32, 32, 64, 64), pooling
/// and dropout after each pair, then Dense 128 with batch normalisation, dropout and Dense 10.
/// </summary>
public static class CnnBn
{
    /// <summary>
    /// The definition and its recipe: Adadelta lr 1.0 decayed by 0.7 each epoch (the PyTorch MNIST
    /// example's optimiser and schedule), batch 64, 12 epochs.
    /// </summary>
    public static ModelDefinition Create() => new(
        "cnn-bn",
        "CNN with batch normalisation, trained with Adadelta.",
        new NetworkSpec(
        [
            new Conv2dLayer(32, 3, Padding: Conv2dLayer.Same),
            new BatchNormLayer(),
            new ReluLayer(),
            new Conv2dLayer(32, 3, Padding: Conv2dLayer.Same),
            new BatchNormLayer(),
            new ReluLayer(),
            new MaxPoolLayer(2),
            new DropoutLayer(0.25),
            new Conv2dLayer(64, 3, Padding: Conv2dLayer.Same),
            new BatchNormLayer(),
            new ReluLayer(),
            new Conv2dLayer(64, 3, Padding: Conv2dLayer.Same),
            new BatchNormLayer(),
            new ReluLayer(),
            new MaxPoolLayer(2),
            new DropoutLayer(0.25),
            new FlattenLayer(),
            new DenseLayer(128),
            new BatchNormLayer(),
            new ReluLayer(),
            new DropoutLayer(0.5),
            new DenseLayer(10),
        ]),
        Normalization: null,
        new TrainingRecipe("adadelta", 1.0, BatchSize: 64, Epochs: 12) { Schedule = "step" });
}
