using Digits.Core.Data;
using Digits.Tests.Support;

namespace Digits.Core.Tests.Data;

/// <summary>Writer folds: which writers a fold holds, and how K/N is read.</summary>
public sealed class WriterFoldTests
{
    [Theory]
    [InlineData("w01", 0)]
    [InlineData("w06", 0)]
    [InlineData("w26", 0)]
    [InlineData("w02", 1)]
    [InlineData("w30", 4)]
    [InlineData("writer-15", 4)]
    public void Holds_NumberedWriter_IsInFoldOfItsNumberLessOneModuloTheCount(string writer, int fold)
    {
        for (int k = 0; k < 5; k++)
        {
            Assert.Equal(k == fold, new WriterFold(k, 5).Holds(writer));
        }
    }

    [Fact]
    public void Select_DevSet_SplitsThirtyWritersIntoFiveFoldsOfSixThatCoverEveryDigitOnce()
    {
        IReadOnlyList<PenDigit> digits = SharedPenDigits.Digits;

        List<PenDigit>[] folds = [.. Enumerable.Range(0, 5).Select(k => new WriterFold(k, 5).Select(digits, inFold: true))];

        Assert.All(folds, f => Assert.Equal(6, f.Select(d => d.Writer).Distinct().Count()));
        Assert.Equal(digits.Count, folds.Sum(f => f.Count));
        Assert.Equal(digits.Count - folds[0].Count, new WriterFold(0, 5).Select(digits, inFold: false).Count);
        Assert.Empty(folds[0].Select(d => d.Writer).Intersect(folds[1].Select(d => d.Writer)));
    }

    [Fact]
    public void Parse_KOverN_ReadsTheFold() => Assert.Equal(new WriterFold(3, 5), WriterFold.Parse("3/5"));

    [Theory]
    [InlineData("5/5")]
    [InlineData("0/1")]
    [InlineData("-1/5")]
    [InlineData("2")]
    [InlineData("a/b")]
    public void Parse_NotAFold_SaysWhatItTakes(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => WriterFold.Parse(text));

        Assert.Contains("K/N", error.Message);
        Assert.Contains(text, error.Message);
    }

    [Fact]
    public void Holds_WriterWithoutANumber_SaysToNumberTheWriters()
    {
        var error = Assert.Throws<ArgumentException>(() => new WriterFold(0, 5).Holds("alice"));

        Assert.Contains("'alice'", error.Message);
    }
}
