using System.CommandLine;
using Digits.Cli.Commands;
using Digits.Core.Models;
using Spectre.Console;

namespace Digits.Cli;

/// <summary>The <c>digits</c> command: parses, runs one command, and turns known failures into one line and exit code 1.</summary>
public static class DigitsCli
{
    /// <summary>Builds the command tree writing to <paramref name="context"/>.</summary>
    public static RootCommand Create(CliContext context, CancellationToken cancellationToken)
    {
        var root = new RootCommand("Digits: train, evaluate and use handwritten-digit recognition networks.")
        {
            SharedOptions.Verbose(),
            DataCommand.Create(context),
            SummaryCommand.Create(context),
            TrainCommand.Create(context, cancellationToken),
            EvaluateCommand.Create(context),
            PredictCommand.Create(context),
            PlotCommand.Create(context),
            ReportCommand.Create(context),
            CompareCommand.Create(context),
            ExportCommand.Create(context),
            ServeCommand.Create(context, cancellationToken),
            FeedbackCommand.Create(context, cancellationToken),
        };
        return root;
    }

    /// <summary>Parses <paramref name="args"/> and runs the command. Returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, IAnsiConsole console, TextWriter error, CancellationToken cancellationToken = default)
    {
        var context = new CliContext(console, error);
        RootCommand root = Create(context, cancellationToken);
        ParseResult parsed = root.Parse(args);
        IReadOnlyList<string> mistakes = Typos.Describe(parsed);
        if (mistakes.Count > 0)
        {
            foreach (string mistake in mistakes)
            {
                await error.WriteLineAsync($"error: {mistake} Run 'digits --help' for usage.").ConfigureAwait(false);
            }
            return 1;
        }
        var configuration = new InvocationConfiguration { Output = new AnsiConsoleWriter(console), Error = error, EnableDefaultExceptionHandler = false };
        try
        {
            return await parsed.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsUserError(e))
        {
            await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            if (parsed.GetValue<bool>(SharedOptions.VerboseName))
            {
                await error.WriteLineAsync(e.ToString()).ConfigureAwait(false);
            }
            return 1;
        }
    }

    /// <summary>Failures caused by the input, reported as one line rather than a crash.</summary>
    private static bool IsUserError(Exception e) =>
        e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException or UnknownModelException
            or ArgumentException or IOException or HttpRequestException or UnauthorizedAccessException or OperationCanceledException
            or Core.Training.TrainingDivergedException;
}
