using System.CommandLine;
using Digits.Cli.Tests.Support;

namespace Digits.Cli.Tests;

/// <summary>Every command's help, as a person reads it: each default said once, placeholders that say what goes there.</summary>
public sealed class HelpTests
{
    /// <summary>Every command and sub-command, as typed after <c>digits</c>.</summary>
    public static TheoryData<string> Commands()
    {
        var data = new TheoryData<string>();
        var context = new CliContext(new Spectre.Console.Testing.TestConsole(), TextWriter.Null);
        foreach (string path in PathsBelow(DigitsCli.Create(context, CancellationToken.None), ""))
        {
            data.Add(path);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Help_StatesEachDefaultOnce(string command)
    {
        CliResult result = await CliRunner.RunAsync([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.Output.ReplaceLineEndings("\n").Split('\n');
        // Not "Defaults to 1. [default: 1]".
        Assert.All(lines, line => Assert.False(line.Contains("Defaults to", StringComparison.Ordinal) && line.Contains("[default:", StringComparison.Ordinal), line));
    }

    [Theory]
    [InlineData("train", "--resume <FILE>", "--out, -o <FILE>", "--data <DIR>", "--data-dir <DIR>", "--from <FILE>")]
    [InlineData("predict", "--model, -m <FILE>", "--show <FILE>")]
    [InlineData("serve", "--store <DIR>", "--redis <HOST:PORT>", "--urls <URLS>")]
    public async Task Help_NamesWhatGoesInEachPlaceholder(string command, params string[] expected)
    {
        CliResult result = await CliRunner.RunAsync(command, "--help");

        string help = result.Output.Replace("-o, --out", "--out, -o", StringComparison.Ordinal).Replace("-m, --model", "--model, -m", StringComparison.Ordinal);
        Assert.All(expected, text => Assert.Contains(text, help, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Summary_WritesTheRecipeThatTrainsHelpPointsTo()
    {
        CliResult help = await CliRunner.RunAsync("train", "--help");
        CliResult summary = await CliRunner.RunAsync("summary", "lenet");

        Assert.Contains("'digits summary NAME' shows", help.Output, StringComparison.Ordinal);
        Assert.Matches(@"Recipe \(what 'digits train' uses unless told otherwise\): \d+ epochs, batch \d+, \w+ lr [\d.e-]+", summary.Output);
    }

    private static IEnumerable<string> PathsBelow(Command command, string path)
    {
        foreach (Command sub in command.Subcommands)
        {
            string here = $"{path} {sub.Name}".Trim();
            yield return here;
            foreach (string deeper in PathsBelow(sub, here))
            {
                yield return deeper;
            }
        }
    }
}
