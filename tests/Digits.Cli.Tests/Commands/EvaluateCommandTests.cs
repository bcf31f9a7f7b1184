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
}
