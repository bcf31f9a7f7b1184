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
        Assert.DoesNotContain(folded.Layers, l => l.Kind is "dropout" or "dropout2d");
        int foldable = network.Layers.Zip(network.Layers.Skip(1)).Count(p => p.First.Kind is "conv2d" or "dense" && p.Second.Kind == "batchnorm");
        Assert.Equal(network.Layers.Count(l => l.Kind == "batchnorm") - foldable, folded.Layers.Count(l => l.Kind == "batchnorm"));
    }
}
