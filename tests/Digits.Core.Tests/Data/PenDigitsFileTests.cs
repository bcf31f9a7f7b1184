using Digits.Core.Data;
using Digits.Tests.Support;

namespace Digits.Core.Tests.Data;

public sealed class PenDigitsFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_GoodLine_ReadsLabelWriterAndStrokes_AndOnCanvasFlipsAndFits()
    {
        string path = _dir.Write("one.jsonl", """{"label":7,"writer":"w01","strokes":[[[0,100],[100,100]],[[50,0]]]}""");

        PenDigit digit = Assert.Single(PenDigitsFile.Load(path));
        var canvas = digit.OnCanvas(200);

        Assert.Equal((7, "w01"), (digit.Label, digit.Writer));
        Assert.Equal(2, digit.Strokes.Count);
        // 100 tablet units become 65% of 200 px; y = 100 (up) is the top of the canvas.
        Assert.Equal(130, canvas[0][1].X - canvas[0][0].X, 3);
        Assert.True(canvas[0][0].Y < canvas[1][0].Y, "the tablet's top is the canvas's top");
    }

    [Theory]
    [InlineData("""{"label":7,"strokes":[[[1,2],[3]]]}""")]
    [InlineData("""{"label":12,"strokes":[]}""")]
    [InlineData("""not json""")]
    public void Load_BadLine_NamesTheLine(string line)
    {
        string path = _dir.Write("bad.jsonl", "{\"label\":1,\"strokes\":[[[0,0]]]}\n" + line);

        var error = Assert.Throws<InvalidDataException>(() => PenDigitsFile.Load(path));

        Assert.Contains("line 2", error.Message);
    }
}
