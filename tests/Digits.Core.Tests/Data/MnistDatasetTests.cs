using Digits.Core.Data;
using Digits.Core.Tests.Support;

namespace Digits.Core.Tests.Data;

/// <summary>Mixing extra pictures into a dataset.</summary>
[Collection(TorchTests.Name)]
public sealed class MnistDatasetTests
{
    [Fact]
    public void Mix_ThreeRepeats_KeepsTheImagesFirst_ThenTheExtraOnesRepeatedInOrder()
    {
        using MnistDataset data = Numbered(5, firstValue: 10, labels: [0, 1, 2, 3, 4]);
        using MnistDataset extra = Numbered(2, firstValue: 200, labels: [8, 9]);

        using MnistDataset mixed = data.Mix(extra, 3);

        Assert.Equal(data.Count + (3 * extra.Count), mixed.Count);
        Assert.Equal(new long[] { 0, 1, 2, 3, 4, 8, 9, 8, 9, 8, 9 }, mixed.Labels.data<long>().ToArray());
        Assert.Equal(new long[] { 11, 1, 28, 28 }, mixed.Images.shape);
        Assert.True(mixed.Images.narrow(0, 0, data.Count).equal(data.Images).all().ToBoolean(), "the original images come first");
        for (int r = 0; r < 3; r++)
        {
            Assert.True(mixed.Images.narrow(0, data.Count + (r * extra.Count), extra.Count).equal(extra.Images).all().ToBoolean(), $"repeat {r + 1} of the extra images");
        }
        Assert.Equal(5, data.Count);
        Assert.Equal(2, extra.Count);
    }

    [Theory]
    [InlineData(167, 0)]
    [InlineData(100, 1)]
    [InlineData(784 * 3, 2)]
    public void FromBytes_PixelsThatAreNotOneImagePerLabel_ThrowsArgumentExceptionEchoingBoth(int pixels, int labels)
    {
        // Regression (found by IdxReaderFuzzTests): 167 pixels with no labels made an empty dataset, the pixels ignored.
        var e = Assert.Throws<ArgumentException>(() => MnistDataset.FromBytes(new byte[pixels], new byte[labels]));

        Assert.Contains($"{pixels} pixels", e.Message);
        Assert.Contains($"{labels} labels", e.Message);
    }

    /// <summary>A dataset whose image i has every pixel <paramref name="firstValue"/> + i, so each image is told apart by its value.</summary>
    private static MnistDataset Numbered(int count, int firstValue, byte[] labels) =>
        MnistDataset.FromBytes([.. Enumerable.Range(0, count * 784).Select(p => (byte)(firstValue + (p / 784)))], labels);
}
