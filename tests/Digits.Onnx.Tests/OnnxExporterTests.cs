using System.Globalization;
using System.Text.Json;
using Digits.Core.Inference;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Digits.Onnx.Tests.Support;
using Digits.Tests.Support;
using Microsoft.ML.OnnxRuntime;

namespace Digits.Onnx.Tests;

[Collection(OnnxTests.Name)]
public sealed class OnnxExporterTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Metadata_OfTheShippedModel_ReadsBackThroughOnnxRuntime()
    {
        SavedModel saved = ModelFile.Load(ShippedModel.Locate());
        using Predictor predictor = Predictor.From(saved);
        byte[] model = OnnxExporter.Export(saved);

        using var engine = new OnnxEngine(model);
        using var session = new InferenceSession(model);

        IReadOnlyDictionary<string, string> meta = engine.Metadata;
        Assert.Equal(predictor.Id, meta[OnnxMetadata.ModelId]);
        Assert.Equal("digitnet", meta[OnnxMetadata.Model]);
        Assert.StartsWith("NCHW float32 [N, 1, 28, 28] in [0, 1], 0 = background", meta[OnnxMetadata.Input]);
        Assert.Equal("(x - 0.1307) / 0.3081, applied inside the graph", meta[OnnxMetadata.Normalization]);
        Assert.Equal([.. Enumerable.Range(0, 10).Select(d => d.ToString(CultureInfo.InvariantCulture))], JsonSerializer.Deserialize<string[]>(meta[OnnxMetadata.ClassNames])!);
        Assert.StartsWith("softmax", meta[OnnxMetadata.Output]);
        Assert.Equal(saved.Manifest.Calibration!.Temperature, double.Parse(meta[OnnxMetadata.Temperature], CultureInfo.InvariantCulture));
        Assert.Equal(predictor.Calibration.Threshold, double.Parse(meta[OnnxMetadata.NotSureThreshold], CultureInfo.InvariantCulture));
        Assert.Equal(saved.Manifest.Metrics[ModelManifest.TestAccuracy], JsonSerializer.Deserialize<Dictionary<string, double>>(meta[OnnxMetadata.Metrics])![ModelManifest.TestAccuracy]);
        Assert.Equal(OnnxMetadata.DigitsVersion, meta[OnnxMetadata.Version]);
        Assert.Equal(saved.Manifest.Versions["digits"], meta[OnnxMetadata.TrainedWith]);

        Assert.Equal(OnnxExporter.ProducerName, session.ModelMetadata.ProducerName);
        Assert.Equal("digitnet", session.ModelMetadata.GraphName);
        Assert.Equal(saved.Manifest.Description, session.ModelMetadata.Description);
        NodeMetadata images = session.InputMetadata[OnnxExporter.InputName];
        Assert.Equal([-1, 1, 28, 28], images.Dimensions);
        Assert.Equal(OnnxExporter.BatchDimension, images.SymbolicDimensions[0]);
        Assert.Equal([-1, 10], session.OutputMetadata[OnnxExporter.ProbabilitiesName].Dimensions);
        Assert.Equal([1, 28, 28], engine.InputShape);
        Assert.Equal(10, engine.Classes);
    }

    [Fact]
    public void Metadata_OfAnUncalibratedPictureModel_GivesTemperatureOneAndItsClassNames()
    {
        SavedModel saved = TestNetworks.SaveFresh(TestNetworks.GlobalPoolPath, _dir.File("pictures.digits"));

        using OnnxEngine engine = OnnxEngine.FromSavedModel(saved);

        IReadOnlyDictionary<string, string> meta = engine.Metadata;
        Assert.Equal(saved.Manifest.Id, meta[OnnxMetadata.ModelId]);
        Assert.Matches("^every-layer-global-[0-9a-f]{12}$", meta[OnnxMetadata.ModelId]);
        Assert.Equal(["cat", "dog"], JsonSerializer.Deserialize<string[]>(meta[OnnxMetadata.ClassNames])!);
        Assert.StartsWith("sigmoid", meta[OnnxMetadata.Output]);
        Assert.Equal("1", meta[OnnxMetadata.Temperature]);
        Assert.Equal("0", meta[OnnxMetadata.NotSureThreshold]);
        Assert.Equal("none", meta[OnnxMetadata.Normalization]);
        Assert.Contains("[N, 3, 20, 20]", meta[OnnxMetadata.Input]);
        Assert.Contains("R, G, B", meta[OnnxMetadata.Input]);
        Assert.Equal([3, 20, 20], engine.InputShape);
        Assert.Equal(2, engine.Classes);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("text")]
    [InlineData("changed byte")]
    public void Export_BrokenModelFile_FailsWithOneLineThatNamesTheFile(string damage)
    {
        byte[] shipped = File.ReadAllBytes(ShippedModel.Locate());
        byte[] broken = damage switch
        {
            "truncated" => shipped[..(shipped.Length / 2)],
            "text" => "name,digit\nsketch.png,7\n"u8.ToArray(),
            _ => Changed(shipped, shipped.Length / 3),
        };
        string path = _dir.File("broken.digits");
        File.WriteAllBytes(path, broken);

        var e = Assert.Throws<InvalidDataException>(() => OnnxExporter.Export(path));

        output.WriteLine(e.Message);
        Assert.Contains(path, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Export_MissingFile_SaysWhereItLookedAndHowToMakeOne()
    {
        string path = _dir.File("nowhere.digits");

        var e = Assert.Throws<FileNotFoundException>(() => OnnxExporter.Export(path));

        Assert.Contains(Path.GetFullPath(path), e.Message);
        Assert.Contains("digits train", e.Message);
    }

    [Fact]
    public void Emit_LayerTypeTheExporterDoesNotKnow_NamesTheLayerAndWhatItExports()
    {
        using var network = new DigitsNetwork(ModelRegistry.Get("mlp"));
        var context = new OnnxLayerContext(new OnnxGraphBuilder(), new NetworkWeights(network), new LayerInfo("shortcut_1", "residual", [10], 0, 0, new ResidualLayer(), 0, InlineActivation: false), [10], "Layer 'shortcut_1' (residual)");

        var layer = Assert.Throws<InvalidDataException>(() => OnnxLayers.Emit(new ResidualLayer(), context, "x"));
        var activation = Assert.Throws<InvalidDataException>(() => OnnxLayers.Activation("swish", context, "x"));

        Assert.Equal(
            "Layer 'shortcut_1' (residual): the ONNX exporter does not know the layer type 'residual'; it exports " +
            "conv2d, maxpool, avgpool, globalavgpool, batchnorm, dropout, dropout2d, flatten, dense, relu, tanh, sigmoid, gelu.", layer.Message);
        Assert.Equal("Layer 'shortcut_1' (residual): the ONNX exporter does not know the activation 'swish'; it exports relu, tanh, sigmoid, gelu.", activation.Message);
    }

    [Fact]
    public void SupportedLayerTypes_CoverEveryTypeTheBuilderKnows()
    {
        Assert.Empty(LayerKinds.All.Except(OnnxExporter.SupportedLayerTypes));
    }

    [Fact]
    public void ExportToFile_WritesTheInMemoryBytesAndLeavesNoTemporaryFile()
    {
        SavedModel saved = TestNetworks.SaveFresh(ModelRegistry.Get("lenet"), _dir.File("lenet.digits"));
        string path = _dir.File(Path.Combine("export", "lenet.onnx"));

        OnnxExporter.ExportToFile(saved, path);
        OnnxExporter.ExportToFile(saved, path);

        Assert.Equal(OnnxExporter.Export(saved), File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(Path.GetDirectoryName(path)!));
        using var session = new InferenceSession(path);
        Assert.Equal("lenet", session.ModelMetadata.GraphName);
    }

    private static byte[] Changed(byte[] bytes, int at)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[at] ^= 0x5A;
        return copy;
    }

    /// <summary>A layer type the spec may gain one day, which the exporter has no case for.</summary>
    private sealed record ResidualLayer : LayerSpec
    {
        public override string Kind => "residual";
    }
}
