using Digits.Core.Models;
using static TorchSharp.torch;

namespace Digits.Core.Tests.Models;

public sealed class ModelRegistryTests
{
    public static TheoryData<string> Names() => [.. ModelRegistry.Names];

    [Theory]
    [MemberData(nameof(Names))]
    public void Forward_EveryRegisteredModel_ReturnsLogitsPerImage(string name)
    {
        ModelDefinition definition = ModelRegistry.Get(name);
        using var network = new DigitsNetwork(definition);
        network.eval();
        using Tensor input = rand([3, .. definition.Network.Input.Select(d => (long)d)]);

        using Tensor output = network.call(input);

        Assert.Equal(new long[] { 3, definition.Network.Classes }, output.shape);
    }

    [Theory]
    [InlineData("mlp", 101_770)]
    [InlineData("lenet", 21_840)]
    [InlineData("convnet", 93_322)]
    [InlineData("cnn", 887_530)]
    [InlineData("convnet-150", 3_453_121)]
    public void Summary_OriginNetworks_HaveTheirPublishedParameterCounts(string name, long parameters)
    {
        ModelSummary summary = ModelSummary.Of(ModelRegistry.Get(name));

        Assert.Equal(parameters, summary.TotalParameters);
        Assert.Equal(parameters, summary.TrainableParameters);
        Assert.Equal(0, summary.NonTrainableParameters);
    }

    [Fact]
    public void Summary_TotalsEqualTheModulesOwnCounts()
    {
        using var network = new DigitsNetwork(ModelRegistry.Get("cnn-bn"));
        ModelSummary summary = ModelSummary.Of(network);

        long trainable = network.parameters().Sum(p => p.numel());
        long runningStats = network.named_buffers().Where(b => b.name.EndsWith("running_mean", StringComparison.Ordinal) || b.name.EndsWith("running_var", StringComparison.Ordinal)).Sum(b => b.buffer.numel());

        Assert.Equal(trainable, summary.TrainableParameters);
        Assert.Equal(runningStats, summary.NonTrainableParameters);
        Assert.True(summary.NonTrainableParameters > 0);
    }

    [Fact]
    public void Summary_LeNet_HasHandCountedRows()
    {
        ModelSummary summary = ModelSummary.Of(ModelRegistry.Get("lenet"));

        // conv 1→10 k5: 10·25 + 10; conv 10→20 k5: 20·10·25 + 20; fc 320→50: 320·50 + 50; fc 50→10: 50·10 + 10.
        long[] withWeights = summary.Rows.Where(r => r.TrainableParameters > 0).Select(r => r.TrainableParameters).ToArray();
        Assert.Equal(new long[] { 260, 5020, 16050, 510 }, withWeights);
        Assert.Equal(new long[] { 20, 4, 4 }, summary.Rows.Single(r => r.Name == "maxpool_2").OutputShape);
    }

    [Fact]
    public void Get_UnknownName_ListsKnownNamesAndClosestMatch()
    {
        var e = Assert.Throws<UnknownModelException>(() => ModelRegistry.Get("lenett"));

        Assert.Equal("lenet", e.Closest);
        Assert.Contains("Did you mean 'lenet'?", e.Message);
        foreach (string name in ModelRegistry.Names)
        {
            Assert.Contains(name, e.Message);
        }
    }
}
