using System.Text;
using Spectre.Console;

namespace Digits.Cli;

/// <summary>A <see cref="TextWriter"/> over an <see cref="IAnsiConsole"/>, so help text goes where the rest of the output goes.</summary>
internal sealed class AnsiConsoleWriter(IAnsiConsole console) : TextWriter
{
    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value) => console.Profile.Out.Writer.Write(value);

    public override void Write(string? value) => console.Profile.Out.Writer.Write(value);

    public override void WriteLine(string? value) => console.Profile.Out.Writer.WriteLine(value);
}
