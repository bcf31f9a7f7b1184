using Digits.Core.Evaluation;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Digits.Core.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Digits.Onnx.Tests.Support;

/// <summary>Networks to export: two layer lists that between them use every layer type, and fresh files of any definition.</summary>
public static class TestNetworks
{
    /// <summary>
    /// Every image layer on the flatten path, on MNIST digits: valid and same convolutions (an even kernel too, which
    /// pads one more at the bottom and right), a stride, both poolings with a stride other than their size, batch norms
    /// of images and of features where BatchNormFolding cannot fold them (after an activation) and where it can, both
    /// dropouts, and each activation as a layer and inline.
    /// </summary>
    public static ModelDefinition FlattenPath { get; } = new(
        "every-layer-flatten",
        "Every layer type on the flatten path.",
        new NetworkSpec(
        [
            new Conv2dLayer(8, 3) { Activation = "relu" },
            new BatchNormLayer(),
            new Conv2dLayer(8, 4, Padding: "same") { Activation = "gelu" },
            new Dropout2dLayer(0.1),
            new MaxPoolLayer(3, Stride: 2),
            new Conv2dLayer(12, 3, Stride: 2) { Activation = "tanh" },
            new AvgPoolLayer(3, Stride: 1),
            new SigmoidLayer(),
            new Conv2dLayer(12, 3, Padding: "same"),
            new BatchNormLayer(),
            new GeluLayer(),
            new FlattenLayer(),
            new DropoutLayer(0.2),
            new DenseLayer(32) { Activation = "sigmoid" },
            new BatchNormLayer(),
            new DenseLayer(24),
            new BatchNormLayer(),
            new TanhLayer(),
            new DenseLayer(16) { Activation = "relu" },
            new ReluLayer(),
            new DenseLayer(10),
        ]),
        new Normalization(0.25f, 0.4f),
        ModelDefinition.DefaultRecipe);

    /// <summary>
    /// The global-pooling path into a sigmoid output, on 3x20x20 pictures of two classes: a max pool with stride 1,
    /// a batch norm on the pooled features (nothing to fold it into) and one logit.
    /// </summary>
    public static ModelDefinition GlobalPoolPath { get; } = new(
        "every-layer-global",
        "Global pooling and a sigmoid output.",
        new NetworkSpec(
        [
            new Conv2dLayer(6, 3, Padding: "same") { Activation = "relu" },
            new MaxPoolLayer(2, Stride: 1),
            new Conv2dLayer(8, 3, Stride: 2),
            new BatchNormLayer(),
            new GlobalAvgPoolLayer(),
            new BatchNormLayer(),
            new DenseLayer(1),
        ])
        {
            Input = [3, 20, 20],
            Classes = 2,
            Output = NetworkSpec.Sigmoid,
            ClassNames = ["cat", "dog"],
        },
        Normalization: null,
        ModelDefinition.DefaultRecipe);

    /// <summary>
    /// Writes <paramref name="definition"/>, freshly initialised from <paramref name="seed"/>, to a model file and reads
    /// it back, as a trained model would be. Batch norms get random statistics and affine weights, since the fresh ones
    /// (mean 0, variance 1, scale 1, shift 0) compute the identity and would hide a wrong translation.
    /// </summary>
    public static SavedModel SaveFresh(ModelDefinition definition, string path, long seed = 7, Calibration? calibration = null)
    {
        using TrainingSession session = TrainingSession.Start(definition, new TrainingOptions { Seed = seed }, CPU);
        RandomizeBatchNorms(session.Network);
        session.Calibration = calibration;
        session.Save(path);
        return ModelFile.Load(path);
    }

    private static void RandomizeBatchNorms(DigitsNetwork network)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using Scalar spread = 0.3.ToScalar();
        using Scalar least = 0.5.ToScalar();
        foreach ((string _, nn.Module module) in network.named_modules())
        {
            if (module is not BatchNorm norm)
            {
                continue;
            }
            long[] size = [norm.num_features];
            norm.running_mean!.copy_(randn(size).mul_(spread));
            norm.running_var!.copy_(rand(size).add_(least));
            norm.weight!.copy_(rand(size).add_(least));
            norm.bias!.copy_(randn(size).mul_(spread));
        }
    }
}
