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
        // Not the archive reader's "End of Central Directory record could not be found".
        Assert.DoesNotContain("Central Directory", line, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Evaluate_AFolderAsTheModel_SaysItIsAFolder()
    {
        CliResult result = await CliRunner.RunAsync("evaluate", _dir.Path, "--data", SharedMnist.Folder);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"error: '{_dir.Path}' is a folder, not a model file; give a .digits file, as 'digits train' writes.", Assert.Single(result.ErrorLines));
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
        // Measured: 99.33% plain, 100% stress, 99.50% strokes (as ShippedModelTests measures them through the library).
        Assert.True(plain >= 0.99, $"plain {plain}");
        Assert.True(stress >= 0.98 && stress >= plain - 0.015, $"stress {stress} against plain {plain}");
        Assert.True(json.RootElement.GetProperty("strokes").GetProperty("accuracy").GetDouble() >= 0.99);
        Assert.Equal(30, json.RootElement.GetProperty("strokes").GetProperty("byWriter").GetArrayLength());
    }

    [Fact]
    public async Task Evaluate_StrokesOfAHeldOutFold_ScoresOnlyItsWritersAndDrawsAndNamesTheMistakes()
    {
        string shipped = Path.Combine(AppContext.BaseDirectory, "models", "digitnet.digits");
        string grid = _dir.File("mistakes.png");

        CliResult result = await CliRunner.RunAsync(
            "evaluate", shipped, "--strokes", SharedPenDigits.File, "--held-out", "2/5", "--mistakes", grid, "--limit", "100", "--data", SharedMnist.Folder);

        Assert.Equal(0, result.ExitCode);
        string[] writers = ["w03", "w08", "w13", "w18", "w23", "w28"];
        Assert.All(writers, w => Assert.Contains(w, result.Output));
        Assert.DoesNotContain("w01", result.Output);
        Assert.Matches(@"Costliest mistakes: \d read as \d \d+ times", result.Output);
        Assert.Contains("Right of those", result.Output);
        using SkiaSharp.SKBitmap picture = SkiaSharp.SKBitmap.Decode(grid);
        Assert.Equal(1200, picture.Width);
        // Mistakes are titled in red.
        Assert.Contains(Enumerable.Range(0, 600).SelectMany(y => Enumerable.Range(0, 600).Select(x => picture.GetPixel(x * 2, y * 2))), c => c.Red > 150 && c.Green < 80 && c.Blue < 80);
    }

    [Theory]
    [InlineData("--held-out", "0/5", "give --strokes FILE too")]
    [InlineData("--mistakes", "grid.png", "give --strokes FILE too")]
    public async Task Evaluate_PenOptionsWithoutStrokes_SaysToGiveStrokes(string option, string value, string expected)
    {
        string shipped = Path.Combine(AppContext.BaseDirectory, "models", "digitnet.digits");

        CliResult result = await CliRunner.RunAsync("evaluate", shipped, option, value, "--limit", "10", "--data", SharedMnist.Folder);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(expected, Assert.Single(result.ErrorLines));
    }
}
