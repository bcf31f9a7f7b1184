using Digits.Cli.Tests.Support;

namespace Digits.Cli.Tests;

/// <summary>Mistyped commands and options: one line each, naming what was meant, and nothing run.</summary>
public sealed class TyposTests
{
    [Theory]
    [InlineData(new[] { "trian" }, "error: 'trian' is not a command or option of 'digits'. Did you mean 'train'?")]
    [InlineData(new[] { "trian", "--epochs", "3" }, "error: 'trian' is not a command or option of 'digits'. Did you mean 'train'?")]
    [InlineData(new[] { "plot", "confuzion" }, "error: 'confuzion' is not a command or option of 'digits plot'. Did you mean 'confusion'?")]
    [InlineData(new[] { "predict", "--modle", "x", "seven.png" }, "error: '--modle' is not an option of 'digits predict'. Did you mean '--model'?")]
    [InlineData(new[] { "predict", "--engin=onnx", "seven.png" }, "error: '--engin=onnx' is not an option of 'digits predict'. Did you mean '--engine'?")]
    [InlineData(new[] { "evaluate", "--zzz" }, "error: '--zzz' is not an option of 'digits evaluate'.")]
    [InlineData(new[] { "42" }, "error: '42' is not a command or option of 'digits'.")]
    [InlineData(new[] { "train", "--epochs", "abc" }, "error: --epochs takes a whole number; received 'abc'.")]
    [InlineData(new[] { "train", "--lr", "fast" }, "error: --lr takes a number; received 'fast'.")]
    [InlineData(new[] { "predict", "--threads", "1.5", "seven.png" }, "error: --threads takes a whole number; received '1.5'.")]
    [InlineData(new[] { "train", "--out", "" }, "error: --out was given an empty value; give it one, or leave it out.")]
    [InlineData(new[] { "plot", "history", "m.digits", "-o", " " }, "error: --output was given an empty value; give it one, or leave it out.")]
    [InlineData(new[] { "feedback", "export", "" }, "error: <directory> was given an empty value; give it one, or leave it out.")]
    public async Task Mistyped_SaysSoInOneLine_WithWhatWasMeant(string[] args, string start)
    {
        CliResult result = await CliRunner.RunAsync(args);

        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        Assert.Equal(start + " Run 'digits --help' for usage.", line);
        Assert.Empty(result.Output);
    }
}
