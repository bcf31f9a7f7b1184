using Digits.Core.Models;
using Digits.Core.Tests.Support;
using Digits.Core.Training;
using Digits.Tests.Support;

namespace Digits.Core.Tests.Models;

public sealed class NetworkSpecTests
{
    [Theory]
    [InlineData("mlp")]
    [InlineData("lenet")]
    [InlineData("convnet")]
    [InlineData("cnn")]
    [InlineData("cnn-bn")]
    public void Json_RoundTrip_GivesAnEqualSpecAndTheSameSummary(string name)
    {
        NetworkSpec spec = ModelRegistry.Get(name).Network;

        NetworkSpec back = NetworkSpec.FromJson(spec.ToJson(), "test");

        Assert.Equal(spec.ToJson(), back.ToJson());
        Assert.Equal(spec.Layers, back.Layers);
        var definition = new ModelDefinition(name, "", back, null, ModelDefinition.DefaultRecipe);
        Assert.Equal(ModelSummary.Of(ModelRegistry.Get(name)).TotalParameters, ModelSummary.Of(definition).TotalParameters);
    }

    [Fact]
    public void FromLayerListFile_KerasStyleList_InfersShapes()
    {
        using TempDirectory dir = new TempDirectory();
        string path = dir.File("tiny.json");
        File.WriteAllText(path, """
            {
              // comments and trailing commas are allowed
              "layers": [
                {"filters": 8, "kernel": 3, "activation": "relu", "type": "conv2d"},
                {"type": "dropout2d", "rate": 0.2},
                {"type": "maxpool", "size": 2},
                {"type": "batchnorm"},
                {"type": "flatten"},
                {"type": "dropout", "rate": 0.1},
                {"type": "dense", "units": 10},
              ]
            }
            """);

        ModelDefinition definition = ModelRegistry.Get(path);
        ModelSummary summary = ModelSummary.Of(definition);

        Assert.Equal("tiny", definition.Name);
        Assert.Equal(new long[] { 8, 13, 13 }, summary.Rows.Single(r => r.Kind == LayerKinds.MaxPool).OutputShape);
        Assert.Equal((8 * 9) + 8 + (2 * 8) + (8 * 13 * 13 * 10) + 10, summary.TrainableParameters);
    }

    [Fact]
    public void Build_SaysWhichSpecLayerMadeEachModule_InlineActivationsIncluded()
    {
        NetworkSpec spec = ModelRegistry.Get("cnn").Network;

        (TorchSharp.Modules.Sequential layers, IReadOnlyList<LayerInfo> infos) = NetworkBuilder.Build(spec);
        using (layers)
        {
            int inline = spec.Layers.Count(l => l is Conv2dLayer { Activation: not null } or DenseLayer { Activation: not null });
            Assert.Equal(spec.Layers.Count + inline, infos.Count);
            Assert.All(infos, info => Assert.Same(spec.Layers[info.SourceIndex], info.Source));
            Assert.Equal(inline, infos.Count(i => i.InlineActivation));
            Assert.All(infos.Where(i => i.InlineActivation), i => Assert.Equal(LayerKinds.Relu, i.Kind));
            Assert.Equal(Enumerable.Range(0, spec.Layers.Count), infos.Select(i => i.SourceIndex).Distinct());
        }
    }

    [Theory]
    [InlineData("""{"layers":[{"type":"dense","units":10}]}""", "Layer 1 (dense)", "flatten")]
    [InlineData("""{"layers":[{"type":"flatten"},{"type":"conv2d","filters":4,"kernel":3}]}""", "Layer 2 (conv2d)", "before 'flatten'")]
    [InlineData("""{"layers":[{"type":"conv2d","filters":4,"kernel":40}]}""", "Layer 1 (conv2d)", "smaller than a 40x40 kernel")]
    [InlineData("""{"layers":[{"type":"flatten"},{"type":"dense","units":7}]}""", "must end with 10 outputs", "[7]")]
    [InlineData("""{"layers":[{"type":"flatten"},{"type":"dropout","rate":1.5},{"type":"dense","units":10}]}""", "Layer 2 (dropout)", "1.5")]
    [InlineData("""{"layers":[{"type":"conv2d","filters":4,"kernel":3,"padding":"full"}]}""", "Layer 1 (conv2d)", "'full'")]
    // Regression (found by NetworkSpecFuzzTests): the web defaults read "NaN" into a double, and a NaN rate passed the range check.
    [InlineData("""{"layers":[{"type":"flatten"},{"type":"dropout","rate":"NaN"},{"type":"dense","units":10}]}""", "Layer 2 (dropout)", "NaN")]
    [InlineData("""{"layers":[{"type":"dropout2d","rate":"-Infinity"},{"type":"flatten"},{"type":"dense","units":10}]}""", "Layer 1 (dropout2d)", "Infinity")]
    [InlineData("""{"output":"sigmoid","layers":[{"type":"flatten"},{"type":"dense","units":1}]}""", "A sigmoid output tells two classes apart", "this network has 10")]
    [InlineData("""{"output":"sigmoid","classes":2,"layers":[{"type":"flatten"},{"type":"dense","units":2}]}""", "must end with 1 output, the sigmoid's logit", "[2]")]
    [InlineData("""{"output":"tanh","layers":[{"type":"flatten"},{"type":"dense","units":10}]}""", "The output must be", "\"tanh\"")]
    public void Build_WrongSpec_NamesTheLayerAndTheProblem(string json, string where, string detail)
    {
        NetworkSpec spec = NetworkSpec.FromJson(json, "test.json");

        var e = Assert.Throws<InvalidDataException>(() => new DigitsNetwork(new ModelDefinition("x", "", spec, null, ModelDefinition.DefaultRecipe)));

        Assert.Contains(where, e.Message);
        Assert.Contains(detail, e.Message);
    }

    [Theory]
    [InlineData("""{"layers":[{"type":"flatten"},{"type":"dense","units":10,"activation":"relu"}]}""", "must end with 10 outputs, one per class, as logits", "applies a relu; drop that activation")]
    [InlineData("""{"output":"sigmoid","classes":2,"layers":[{"type":"flatten"},{"type":"dense","units":1},{"type":"sigmoid"}]}""", "1 output, the sigmoid's logit, as logits", "the loss applies the sigmoid itself")]
    public void Start_NetworkEndingInAnActivation_IsRefused_ThoughASavedOneStillBuilds(string json, string what, string detail)
    {
        NetworkSpec spec = NetworkSpec.FromJson(json, "test.json");
        var definition = new ModelDefinition("x", "", spec, null, ModelDefinition.DefaultRecipe);

        var e = Assert.Throws<InvalidDataException>(() => TrainingSession.Start(definition, new TrainingOptions(), TorchSharp.torch.CPU));
        using var saved = new DigitsNetwork(definition);

        Assert.Contains(what, e.Message);
        Assert.Contains(detail, e.Message);
    }

    [Theory]
    [InlineData("""{"layers":[{"type":"conv2d","filters":100000,"kernel":3,"padding":"same"},{"type":"globalavgpool"},{"type":"dense","units":10}]}""", "Layer 1 (conv2d)", "78,400,000 values per image")]
    [InlineData("""{"layers":[{"type":"conv2d","filters":20000,"kernel":3},{"type":"flatten"},{"type":"dense","units":10}]}""", "Layer 3 (dense)", "135,400,010 parameters")]
    [InlineData("""{"layers":[{"type":"conv2d","filters":1,"kernel":100000,"padding":"same"},{"type":"flatten"},{"type":"dense","units":10}]}""", "Layer 1 (conv2d)", "10,000,000,001 parameters")]
    [InlineData("""{"input":[1,100000,100000],"layers":[{"type":"globalavgpool"},{"type":"dense","units":10}]}""", "The input [1, 100000, 100000]", "10,000,000,000 values per image")]
    public void Build_NetworkThatWouldTakeGigabytes_IsRefusedBeforeAnythingIsAllocated(string json, string where, string detail)
    {
        // Regression (found by NetworkSpecFuzzTests): such specs were built (540 MB of weights for the second; 40 GB for
        // the third) or accepted for a forward pass of 313 MB (the first) to 40 GB (the fourth) per image.
        NetworkSpec spec = NetworkSpec.FromJson(json, "test.json");

        var e = Assert.Throws<InvalidDataException>(() => NetworkBuilder.Build(spec));

        Assert.Contains(where, e.Message);
        Assert.Contains(detail, e.Message);
        Assert.Contains("over the limit", e.Message);
    }

    [Theory]
    [InlineData("""{"layers":[{"filters":3}]}""", "$.layers[0]")]
    [InlineData("""{"layers":[{"type":"flatten"},{}]}""", "$.layers[1]")]
    public void FromJson_LayerWithoutAType_SaysWhichLayerNeedsOne(string json, string where)
    {
        // Regression (found by NetworkSpecFuzzTests): System.Text.Json's NotSupportedException escaped.
        var e = Assert.Throws<InvalidDataException>(() => NetworkSpec.FromJson(json, "net.json"));

        Assert.Contains("net.json", e.Message);
        Assert.Contains(where, e.Message);
        Assert.Contains("\"type\"", e.Message);
    }

    [Theory]
    [InlineData("""{"layers":[{"type":"convolution","filters":4}]}""")]
    [InlineData("""{"layers":[{"type":"dense","unitz":10}]}""")]
    [InlineData("""not json""")]
    [InlineData("""{"layers":[]}""")]
    public void FromJson_UnknownTypeOrField_ThrowsListingKnownTypes(string json)
    {
        var e = Assert.Throws<InvalidDataException>(() => NetworkSpec.FromJson(json, "net.json"));

        Assert.Contains("net.json", e.Message);
    }
}
