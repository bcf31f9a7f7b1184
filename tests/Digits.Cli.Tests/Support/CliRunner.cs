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

    /// <summary>The width Spectre assumes for a pipe, and a common terminal's.</summary>
    public const int PipeWidth = 80;

    /// <summary>Runs <c>digits</c> with <paramref name="args"/>.</summary>
    public static Task<CliResult> RunAsync(params string[] args) => InvokeAsync(args, TestContext.Current.CancellationToken);

    /// <summary>Runs <c>digits</c> with <paramref name="args"/>, its output piped into an 80-column reader, as <c>digits ... | less</c> would.</summary>
    public static Task<CliResult> RunPipedAsync(params string[] args) => InvokeAsync(args, TestContext.Current.CancellationToken, PipeWidth);

    /// <summary>Runs <c>digits</c> with <paramref name="args"/> as if Ctrl+C had come before it started: training stops before its first step.</summary>
    public static async Task<CliResult> RunInterruptedAsync(params string[] args)
    {
        using var interrupted = new CancellationTokenSource();
        await interrupted.CancelAsync();
        return await InvokeAsync(args, interrupted.Token);
    }

    /// <summary>Runs <c>digits</c> with <paramref name="args"/> in a terminal <paramref name="width"/> columns wide, live displays included; the output keeps its escape codes.</summary>
    public static Task<CliResult> RunInTerminalAsync(int width, params string[] args) =>
        InvokeAsync(args, TestContext.Current.CancellationToken, width, terminal: true);

    private static async Task<CliResult> InvokeAsync(string[] args, CancellationToken cancellationToken, int width = ConsoleWidth, bool terminal = false)
    {
        using TestConsole console = new TestConsole().Width(width);
        if (terminal)
        {
            console.Interactive().EmitAnsiSequences();
        }
        using var error = new StringWriter();
        int exitCode = await DigitsCli.RunAsync(args, console, error, cancellationToken);
        return new CliResult(exitCode, console.Output, error.ToString());
    }
}
