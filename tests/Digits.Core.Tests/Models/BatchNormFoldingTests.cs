using Digits.Core.Models;
using Digits.Core.Tests.Support;
using static TorchSharp.torch;

namespace Digits.Core.Tests.Models;

[Collection(TorchTests.Name)]
public sealed class BatchNormFoldingTests
{
    [Theory]
    [InlineData("digitnet")]
    [InlineData("cnn-bn")]
    [InlineData("cnn")]
    public void Fold_TrainedStatistics_SameOutputsWithFewerLayers(string name)
    {
        using var scope = NewDisposeScope();
        random.manual_seed(11);
        using var network = new DigitsNetwork(ModelRegistry.Get(name));
        // Running statistics away from their initial 0 and 1, so that folding has something to fold.
        network.train();
        using (no_grad())
        {
            for (int i = 0; i < 5; i++)
            {
                network.call(rand(32, 1, 28, 28).mul(2).add(0.3));
            }
        }
        network.eval();
        Tensor images = Mnist.Test.Images.narrow(0, 0, 64);

        using DigitsNetwork folded = BatchNormFolding.Fold(network);

        using (no_grad())
        {
            Tensor expected = network.call(images);
            Tensor actual = folded.call(images);
            Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-4), $"largest difference {actual.sub(expected).abs().max().ToSingle()}");
        }
        Assert.DoesNotContain(folded.Layers, l => l.Kind is LayerKinds.Dropout or LayerKinds.Dropout2d);
        int foldable = network.Layers.Zip(network.Layers.Skip(1)).Count(p => p.First.Kind is LayerKinds.Conv2d or LayerKinds.Dense && p.Second.Kind == LayerKinds.BatchNorm);
        Assert.Equal(network.Layers.Count(l => l.Kind == LayerKinds.BatchNorm) - foldable, folded.Layers.Count(l => l.Kind == LayerKinds.BatchNorm));
    }

    [Fact]
    public void Fold_BatchNormAfterAnInlineActivation_IsKept()
    {
        // conv2d with "activation": relu, then batchnorm: the norm follows the relu, not the convolution, so it cannot fold.
        var spec = new NetworkSpec([new Conv2dLayer(4, 3) { Activation = LayerKinds.Relu }, new BatchNormLayer(), new FlattenLayer(), new DenseLayer(10)]);
        using var network = new DigitsNetwork(new ModelDefinition("t", "", spec, null, ModelDefinition.DefaultRecipe));
        network.eval();

        using DigitsNetwork folded = BatchNormFolding.Fold(network);

        Assert.Equal(network.Layers.Select(l => l.Kind), folded.Layers.Select(l => l.Kind));
    }
}
