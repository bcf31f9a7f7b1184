using System.Text.Json;
using Digits.Cli.Tests.Support;
using Digits.Core.Inference;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Digits.Core.Preprocessing;
using Digits.Core.Training;
using Digits.Onnx;
using Digits.Tests.Support;

namespace Digits.Cli.Tests.Commands;

/// <summary><c>digits export</c>, and <c>digits predict --engine</c> on the two engines. One test seeds libtorch to make a second model.</summary>
[Collection(TorchTests.Name)]
public sealed class ExportCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Export_ShippedModel_WritesAGraphThatAnswersAsThePredictorAndSaysWhichModelItIs()
    {
        string onnx = _dir.File("out/shipped.onnx");

        CliResult result = await CliRunner.RunAsync("export", "-o", onnx);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Error);
        SavedModel saved = ModelFile.Load(ShippedModel.Locate());
        Assert.Contains($"Wrote {onnx}", result.Output);
        Assert.Contains(saved.Manifest.Id, result.Output);
        using var engine = new OnnxEngine(File.ReadAllBytes(onnx));
        Assert.Equal(saved.Manifest.Id, engine.Metadata[OnnxMetadata.ModelId]);
        using Predictor predictor = Predictor.From(saved);
        PreparedPicture seven = predictor.ReadFile(TestPictures.WriteDrawnSeven(_dir.File("seven.png")));
        float[] probabilities = engine.Probabilities(seven.Pixels, 1);
        Prediction answer = predictor.Predict(seven);
        Assert.Equal(7, answer.Digit);
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(answer.Probabilities[c], probabilities[c], 1e-5f));
        Assert.Empty(Directory.GetFiles(_dir.File("out"), "*.tmp*"));
    }

    [Fact]
    public async Task Export_DamagedModelFile_SaysSoInOneLineAndWritesNothing()
    {
        string broken = _dir.Write("broken.digits", "this is not a zip archive");
        string onnx = _dir.File("broken.onnx");

        CliResult result = await CliRunner.RunAsync("export", broken, "-o", onnx);

        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        Assert.Contains("broken.digits", line);
        Assert.DoesNotContain("Exception", line);
        Assert.False(File.Exists(onnx));
    }

    [Fact]
    public async Task Export_AnOnnxFileGivenAsTheModel_SaysExportReadsDigitsModels()
    {
        string given = _dir.Write("model.onnx", "whatever it holds");

        CliResult result = await CliRunner.RunAsync("export", given, "-o", _dir.File("again.onnx"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("reads a .digits model file", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public async Task Export_OverADamagedOnnxFile_RefusesInOneLineAndLeavesItAsItWas()
    {
        string onnx = _dir.Write("kept.onnx", "a damaged export someone may still want");

        CliResult result = await CliRunner.RunAsync("export", "-o", onnx);

        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        Assert.Contains("kept.onnx", line);
        Assert.Contains("will not replace it", line);
        Assert.Equal("a damaged export someone may still want", File.ReadAllText(onnx));
    }

    [Fact]
    public async Task Export_OverAnotherModelsExport_Refuses_ButOverItsOwnExport_Replaces()
    {
        string other = _dir.File("other.digits");
        SavedModel shipped = ModelFile.Load(ShippedModel.Locate());
        Assert.Equal(0, (await CliRunner.RunAsync("export", "-o", _dir.File("mine.onnx"))).ExitCode);
        File.Copy(_dir.File("mine.onnx"), _dir.File("theirs.onnx"));
        Assert.Equal(0, (await CliRunner.RunAsync("export", "-o", _dir.File("mine.onnx"))).ExitCode);

        using (TrainingSession session = TrainingSession.Start(ModelRegistry.Get("mlp"), new TrainingOptions { Seed = 7 }, TorchSharp.torch.CPU))
        {
            session.Save(other);
        }
        CliResult result = await CliRunner.RunAsync("export", other, "-o", _dir.File("theirs.onnx"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"already holds another model ({shipped.Manifest.Id}); export will not replace it. Choose another --output, or give --force to replace it.", Assert.Single(result.ErrorLines));
        CliResult forced = await CliRunner.RunAsync("export", other, "-o", _dir.File("theirs.onnx"), "--force");
        Assert.True(forced.ExitCode == 0, forced.Error);
    }

    [Fact]
    public async Task Export_OutputNotEndingInOnnx_SaysWhatItShouldBe()
    {
        CliResult result = await CliRunner.RunAsync("export", "-o", _dir.File("model.digits"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("should end in .onnx", Assert.Single(result.ErrorLines));
        Assert.False(File.Exists(_dir.File("model.digits")));
    }

    [Fact]
    public async Task Predict_OnBothEngines_GivesTheSameAnswerAndProbabilities()
    {
        string seven = TestPictures.WriteDrawnSeven(_dir.File("seven.png"));

        CliResult torch = await CliRunner.RunAsync("predict", seven, "--engine", "torch", "--json");
        CliResult onnx = await CliRunner.RunAsync("predict", seven, "--engine", "onnx", "--json");

        Assert.Equal(0, torch.ExitCode);
        Assert.Equal(0, onnx.ExitCode);
        using JsonDocument a = JsonDocument.Parse(torch.Output);
        using JsonDocument b = JsonDocument.Parse(onnx.Output);
        Assert.Equal(7, a.RootElement.GetProperty("digit").GetInt32());
        Assert.Equal(7, b.RootElement.GetProperty("digit").GetInt32());
        double[] pa = [.. a.RootElement.GetProperty("probabilities").EnumerateArray().Select(p => p.GetDouble())];
        double[] pb = [.. b.RootElement.GetProperty("probabilities").EnumerateArray().Select(p => p.GetDouble())];
        Assert.All(Enumerable.Range(0, 10), c => Assert.Equal(pa[c], pb[c], 1e-5));
    }

    [Fact]
    public async Task Predict_UnknownEngine_NamesTheChoices()
    {
        CliResult result = await CliRunner.RunAsync("predict", _dir.File("any.png"), "--engine", "tensorrt");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(result.ErrorLines, l => l.Contains("tensorrt") && l.Contains("onnx"));
    }
}
