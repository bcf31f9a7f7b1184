using Digits.Cli.Tests.Support;
using Digits.Core.Models;
using Digits.Tests.Support;

namespace Digits.Cli.Tests.Commands;

public sealed class SummaryCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Summary_Cnn_PrintsTotalParameters()
    {
        CliResult result = await CliRunner.RunAsync("summary", "cnn");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Total params: 887,530", result.Output);
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task Summary_UnknownModel_ExitsOneWithClosestName()
    {
        CliResult result = await CliRunner.RunAsync("summary", "lenett");

        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        Assert.Contains("'lenett'", line);
        Assert.Contains("Did you mean 'lenet'", line);
        foreach (string name in ModelRegistry.Names)
        {
            Assert.Contains(name, line);
        }
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task Summary_LayerListFile_PrintsItsLayersAndHandCountedTotal()
    {
        string spec = _dir.Write("my-net.json", """
            {
              "layers": [
                { "type": "conv2d", "filters": 8, "kernel": 3, "activation": "relu" },
                { "type": "maxpool", "size": 2 },
                { "type": "flatten" },
                { "type": "dense", "units": 10 }
              ]
            }
            """);

        CliResult result = await CliRunner.RunAsync("summary", spec);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("my-net", result.Output);
        // conv 1→8 k3: 8·9 + 8 = 80; 26x26 pooled to 13x13x8 = 1,352 inputs; dense 1,352·10 + 10 = 13,530.
        Assert.Contains("Total params: 13,610", result.Output);
        Assert.Empty(result.Error);
    }

    [Fact]
    public async Task Summary_BrokenLayerList_ExitsOneNamingTheLayer()
    {
        string spec = _dir.Write("broken-net.json", """
            {
              "layers": [
                { "type": "conv2d", "filters": 8, "kernel": 3 },
                { "type": "relu" },
                { "type": "dense", "units": 10, "name": "head" }
              ]
            }
            """);

        CliResult result = await CliRunner.RunAsync("summary", spec);

        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        Assert.Contains("Layer 3 (dense 'head')", line);
        Assert.Contains("flatten", line);
    }

    [Fact]
    public async Task Summary_LayerListWithUnknownType_ExitsOneListingKnownTypes()
    {
        string spec = _dir.Write("typo-net.json", """{ "layers": [ { "type": "flaten" }, { "type": "dense", "units": 10 } ] }""");

        CliResult result = await CliRunner.RunAsync("summary", spec);

        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(result.ErrorLines);
        Assert.Contains(spec, line);
        Assert.Contains("flatten", line);
    }
}
