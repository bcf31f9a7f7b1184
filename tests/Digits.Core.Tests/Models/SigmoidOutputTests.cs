using Digits.Core.Models;
using Digits.Core.Tests.Support;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Digits.Core.Tests.Models;

/// <summary>Two classes with one sigmoid output, trained with binary cross-entropy, as Keras's cats-vs-dogs network (learning with it: ImageFolderTests).</summary>
[Collection(TorchTests.Name)]
public sealed class SigmoidOutputTests
{
    [Fact]
    public void Forward_SigmoidOutput_GivesTheLogitPairWhoseCrossEntropyIsBinaryCrossEntropy()
    {
        using var scope = NewDisposeScope();
        NetworkSpec spec = NetworkSpec.FromJson("""
            {"input": [1, 4, 4], "classes": 2, "output": "sigmoid",
             "layers": [{"type": "flatten"}, {"type": "dense", "units": 8, "activation": "tanh"}, {"type": "dense", "units": 1}]}
            """, "binary");
        random.manual_seed(3);
        using var network = new DigitsNetwork(new ModelDefinition("binary", "", spec, null, ModelDefinition.DefaultRecipe));
        network.eval();
        Tensor input = rand(64, 1, 4, 4).mul(4);
        Tensor labels = randint(0, 2, [64]);

        Tensor logits = network.call(input);
        Tensor z = network.Trace(input)[^1].Output.squeeze(1);

        Assert.Equal(new long[] { 64, 2 }, logits.shape);
        Assert.Equal(0, logits[.., 0].abs().max().ToSingle());
        Assert.True(logits[.., 1].allclose(z));
        Assert.True(softmax(logits, 1)[.., 1].allclose(z.sigmoid(), rtol: 1e-5, atol: 1e-6));
        double crossEntropy = cross_entropy(logits, labels).ToDouble();
        double binary = binary_cross_entropy_with_logits(z, labels.to_type(ScalarType.Float32)).ToDouble();
        Assert.Equal(binary, crossEntropy, 5);
    }
}
