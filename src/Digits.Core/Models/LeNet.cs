namespace Digits.Core.Models;

/// <summary>
/// The PyTorch MNIST tutorial network: two 5x5 convolutions (10 and 20 filters), each followed by
/// 2x2 max pooling and relu, then 320 → 50 → 10. 21,840 parameters.
/// </summary>
public static class LeNet
{
    /// <summary>The definition and the tutorial's recipe: SGD lr 0.01 momentum 0.5, batch 64, 10 epochs, MNIST normalisation.</summary>
    public static ModelDefinition Create() => new(
        "lenet",
        "LeNet-style network of the PyTorch MNIST tutorial.",
        new NetworkSpec(
        [
            new Conv2dLayer(10, 5),
            new MaxPoolLayer(2),
            new ReluLayer(),
            new Conv2dLayer(20, 5),
            new MaxPoolLayer(2),
            new ReluLayer(),
            new FlattenLayer(),
            new DenseLayer(50) { Activation = LayerKinds.Relu },
            new DenseLayer(10),
        ]),
        Normalization.Mnist,
        new TrainingRecipe("sgd", 0.01, BatchSize: 64, Epochs: 10) { Momentum = 0.5 });
}
