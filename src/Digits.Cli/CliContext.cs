using Spectre.Console;

namespace Digits.Cli;

/// <summary>What every command writes to: the console for results and progress, the error writer for failures.</summary>
/// <param name="Console">Results, tables and progress.</param>
/// <param name="Error">One line per failure.</param>
public sealed record CliContext(IAnsiConsole Console, TextWriter Error);
