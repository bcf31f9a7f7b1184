namespace Digits.Core.Models;

/// <summary>
/// The cats-vs-dogs convnet of the Keras book (Deep Learning with Python, chapter 5.2): four 3x3 convolutions (32, 64,
/// 128, 128), each followed by 2x2 pooling, then dropout of half, Dense 512 and one sigmoid output, for 150x150 colour
/// pictures of two classes. 3,453,121 parameters.
/// </summary>
public static class ConvNet150
{
    /// <summary>The definition and the book's recipe: RMSprop at 1e-4, batch 32, the photos augmentation.</summary>
    public static ModelDefinition Create() => new(
        "convnet-150",
        "Cats-vs-dogs convnet of the Keras book, for 150x150 colour pictures of two classes.",
        new NetworkSpec(
        [
            new Conv2dLayer(32, 3) { Activation = LayerKinds.Relu },
            new MaxPoolLayer(2),
            new Conv2dLayer(64, 3) { Activation = LayerKinds.Relu },
            new MaxPoolLayer(2),
            new Conv2dLayer(128, 3) { Activation = LayerKinds.Relu },
            new MaxPoolLayer(2),
            new Conv2dLayer(128, 3) { Activation = LayerKinds.Relu },
            new MaxPoolLayer(2),
            new FlattenLayer(),
            new DropoutLayer(0.5),
            new DenseLayer(512) { Activation = LayerKinds.Relu },
            new DenseLayer(1),
        ])
        {
            Input = [3, 150, 150],
            Classes = 2,
            Output = NetworkSpec.Sigmoid,
        },
        Normalization: null,
        new TrainingRecipe("rmsprop", 1e-4, BatchSize: 32, Epochs: 30) { Augment = "photos" });
}
