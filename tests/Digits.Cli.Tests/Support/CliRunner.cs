using Spectre.Console.Testing;

namespace Digits.Cli.Tests.Support;

/// <summary>What one run of the <c>digits</c> command produced.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="Output">Everything written to the console: tables, progress, JSON.</param>
/// <param name="Error">Everything written to stderr.</param>
public sealed record CliResult(int ExitCode, string Output, string Error)
{
    /// <summary>The non-empty lines written to stderr.</summary>
    public IReadOnlyList<string> ErrorLines =>
        Error.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

/// <summary>Parses and invokes the <c>digits</c> command in this process, as a user would type it; no process is started.</summary>
public static class CliRunner
{
    /// <summary>Wide enough that tables and messages do not wrap in the middle of what the tests look for.</summary>
    private const int ConsoleWidth = 400;

    /// <summary>Runs <c>digits</c> with <paramref name="args"/>.</summary>
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        using TestConsole console = new TestConsole().Width(ConsoleWidth);
        using var error = new StringWriter();
        int exitCode = await DigitsCli.RunAsync(args, console, error, TestContext.Current.CancellationToken);
        return new CliResult(exitCode, console.Output, error.ToString());
    }
}
