using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Digits.Cli;

/// <summary>
/// What the user mistyped, in one line each with the name they probably meant: an unknown command, or an unknown
/// option where a command takes file names (<c>digits predict --modle x seven.png</c> would otherwise read
/// <c>--modle</c> as a picture).
/// </summary>
internal static partial class Typos
{
    private const string Unrecognized = "Unrecognized command or argument '";

    /// <summary>The lines to print for <paramref name="parsed"/>'s mistakes; empty when there are none.</summary>
    public static IReadOnlyList<string> Describe(ParseResult parsed)
    {
        Command command = parsed.CommandResult.Command;
        string where = CommandPath(parsed.CommandResult);
        var lines = new List<string>();
        bool unrecognized = false;
        foreach (ParseError error in parsed.Errors)
        {
            // System.CommandLine lists allowed values on separate lines; one failure is one line here.
            string message = string.Join(' ', error.Message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            if (message.StartsWith(Unrecognized, StringComparison.Ordinal))
            {
                // The first unknown word is the mistake; what follows it was meant for a command that is not there.
                if (!unrecognized)
                {
                    string token = message[Unrecognized.Length..].TrimEnd('.', '\'');
                    lines.Add($"'{token}' is not a command or option of '{where}'.{Suggest(token, NamesOf(command))}");
                }
                unrecognized = true;
            }
            else
            {
                lines.Add(WithoutTypeNames(message));
            }
        }
        if (unrecognized)
        {
            // "Required command was not provided" only repeats, less clearly, that the typed command is unknown.
            lines.RemoveAll(line => line.StartsWith("Required command", StringComparison.Ordinal));
        }
        if (!unrecognized && command.TreatUnmatchedTokensAsErrors)
        {
            foreach (Token token in parsed.Tokens.Where(t => t.Type == TokenType.Argument && LooksLikeAnOption(t.Value)))
            {
                lines.Add($"'{token.Value}' is not an option of '{where}'.{Suggest(token.Value.Split('=')[0], NamesOf(command).Where(n => n.StartsWith('-')))}");
            }
        }
        lines.AddRange(EmptyValues(parsed));
        return lines;
    }

    /// <summary>An option or argument given as "" (a shell variable that was not set): said here, not as .NET's "(Parameter 'path')".</summary>
    private static IEnumerable<string> EmptyValues(ParseResult parsed)
    {
        for (SymbolResult? result = parsed.CommandResult; result is CommandResult command; result = command.Parent)
        {
            foreach (SymbolResult child in command.Children.Where(c => c.Tokens.Any(t => string.IsNullOrWhiteSpace(t.Value))))
            {
                string? name = child switch
                {
                    OptionResult option => option.Option.Name,
                    ArgumentResult argument => $"<{argument.Argument.Name}>",
                    _ => null,
                };
                if (name is not null)
                {
                    yield return $"{name} was given an empty value; give it one, or leave it out.";
                }
            }
        }
    }

    /// <summary>System.CommandLine's "as expected type 'System.Nullable`1[System.Int32]'" said as what the option takes.</summary>
    private static string WithoutTypeNames(string message)
    {
        Match match = CannotParse().Match(message);
        if (!match.Success)
        {
            return message;
        }
        string type = match.Groups["type"].Value;
        string takes = type.Contains("Int", StringComparison.Ordinal) ? "a whole number"
            : type.Contains("Double", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) ? "a number"
            : type.Contains("Boolean", StringComparison.Ordinal) ? "true or false"
            : "a value of another form";
        return $"{match.Groups["option"].Value} takes {takes}; received '{match.Groups["value"].Value}'.";
    }

    [GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for (option|command) '(?<option>[^']+)' as expected type '(?<type>[^']+)'\.?$")]
    private static partial Regex CannotParse();

    /// <summary>An argument that starts like an option and is neither a number nor an existing file.</summary>
    private static bool LooksLikeAnOption(string value) =>
        value.Length > 1 && value[0] == '-' && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            && !File.Exists(value) && !Directory.Exists(value);

    /// <summary>" Did you mean 'NAME'?" for the nearest name, or nothing when none is near.</summary>
    private static string Suggest(string typed, IEnumerable<string> names)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        string lower = typed.ToLowerInvariant();
        foreach (string name in names)
        {
            int distance = Distance(lower, name.ToLowerInvariant());
            if (distance < bestDistance)
            {
                (best, bestDistance) = (name, distance);
            }
        }
        // Up to a third of the typed length in edits, at least one: "trian" and "--modle" are one swap from "train" and "--model".
        return best is not null && bestDistance <= Math.Max(1, typed.Length / 3) ? $" Did you mean '{best}'?" : "";
    }

    /// <summary>The names and aliases of the command's subcommands and options, those it inherits included.</summary>
    private static IEnumerable<string> NamesOf(Command command)
    {
        IEnumerable<Symbol> symbols = command.Subcommands.Cast<Symbol>().Concat(command.Options)
            .Concat(command.Parents.OfType<Command>().SelectMany(parent => parent.Options.Where(o => o.Recursive)));
        foreach (Symbol symbol in symbols.Where(s => !s.Hidden))
        {
            yield return symbol.Name;
            IEnumerable<string> aliases = symbol switch
            {
                Option option => option.Aliases,
                Command sub => sub.Aliases,
                _ => [],
            };
            foreach (string alias in aliases)
            {
                yield return alias;
            }
        }
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? at = result; at is CommandResult command; at = at.Parent)
        {
            names.Add(command.Command is RootCommand ? "digits" : command.Command.Name);
        }
        names.Reverse();
        return string.Join(' ', names);
    }
}
