namespace Digits.Core.Models;

/// <summary>The Keras beginner network: 784 → Dense 128 relu → Dense 10. 101,770 parameters.</summary>
public static class Mlp
{
    /// <summary>The definition and its Keras recipe: Adam, batch 32, 5 epochs.</summary>
    public static ModelDefinition Create() => new(
        "mlp",
        "Two-layer perceptron of the Keras beginner tutorial.",
        new NetworkSpec(
        [
            new FlattenLayer(),
            new DenseLayer(128) { Activation = LayerKinds.Relu },
            new DropoutLayer(0.2),
            new DenseLayer(10),
        ]),
        Normalization: null,
        new TrainingRecipe("adam", 1e-3, BatchSize: 32, Epochs: 5));
}
