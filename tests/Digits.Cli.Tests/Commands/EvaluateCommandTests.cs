using Digits.Cli.Tests.Support;
using Digits.Tests.Support;

namespace Digits.Cli.Tests.Commands;

public sealed class EvaluateCommandTests : IDisposable
{
    private const string StackFrame = "   at ";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string NotAModel() => _dir.Write("notes.digits", "These are my notes, not a model.");

    [Fact]
    public async Task Evaluate_FileThatIsNotAModel_ExitsOneWithOneLineAndNoStackTrace()
    {
        string path = NotAModel();

        CliResult result = await CliRunner.RunAsync("evaluate", path, "--data", SharedMnist.Folder);

        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        Assert.Contains(path, line);
        Assert.Contains("not a Digits model file", line);
        Assert.DoesNotContain(StackFrame, result.Error);
    }

    [Fact]
    public async Task Evaluate_FileThatIsNotAModelWithVerbose_AddsTheStackTrace()
    {
        string path = NotAModel();

        CliResult result = await CliRunner.RunAsync("evaluate", path, "--data", SharedMnist.Folder, "--verbose");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not a Digits model file", result.ErrorLines[0]);
        Assert.Contains(StackFrame + "Digits.Core.Persistence.ModelFile.Load", result.Error);
    }

    [Fact]
    public async Task Evaluate_MissingModelFile_ExitsOneNamingThePathAndHowToTrain()
    {
        string path = _dir.File("absent.digits");

        CliResult result = await CliRunner.RunAsync("evaluate", path, "--data", SharedMnist.Folder);

        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        Assert.Contains(path, line);
        Assert.Contains("digits train", line);
    }

    [Fact]
    public async Task Evaluate_StressAndStrokes_ReadsPhotosAndDrawingsThroughThePredictPath()
    {
        string shipped = Path.Combine(AppContext.BaseDirectory, "models", "digitnet.digits");

        CliResult result = await CliRunner.RunAsync(
            "evaluate", shipped, "--stress", "--strokes", SharedPenDigits.File, "--limit", "300", "--data", SharedMnist.Folder, "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(result.Output);
        double plain = json.RootElement.GetProperty("accuracy").GetDouble();
        double stress = json.RootElement.GetProperty("stress").GetProperty("accuracy").GetDouble();
        Assert.Equal(300, json.RootElement.GetProperty("stress").GetProperty("images").GetInt32());
        Assert.True(stress >= plain - 0.03, $"stress {stress} against plain {plain}");
        Assert.Equal(30, json.RootElement.GetProperty("strokes").GetProperty("byWriter").GetArrayLength());
    }
}
