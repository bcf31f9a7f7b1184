using Digits.Core.Data;
using Digits.Core.Tests.Support;
using Digits.Tests.Support;

namespace Digits.Core.Tests.Data;

public sealed class IdxReaderTests : IDisposable
{
    private readonly TempDirectory _dir = new TempDirectory();

    public void Dispose() => _dir.Dispose();

    private string Write(string name, byte[] bytes)
    {
        string path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadImages_ValidFile_ReturnsPixelsInOrder(bool gzip)
    {
        byte[] file = IdxFiles.Images(3, pixel: i => (byte)(i % 251));
        string path = Write("images", gzip ? IdxFiles.Gzip(file) : file);

        byte[] pixels = IdxReader.ReadImages(path, out int count);

        Assert.Equal(3, count);
        Assert.Equal(3 * 28 * 28, pixels.Length);
        Assert.Equal((byte)(1000 % 251), pixels[1000]);
    }

    [Fact]
    public void ReadImages_BadMagicNumber_ThrowsNamingFoundAndExpected()
    {
        string path = Write("images", IdxFiles.Images(2, magic: 0x801));

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path, out _));

        Assert.Contains("0x00000801", e.Message);
        Assert.Contains("0x00000803", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void ReadImages_WrongImageSize_ThrowsNamingTheSize()
    {
        string path = Write("images", IdxFiles.Images(2, rows: 32, cols: 32));

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path, out _));

        Assert.Contains("32x32", e.Message);
        Assert.Contains("28x28", e.Message);
    }

    [Fact]
    public void ReadImages_TruncatedFile_ThrowsSayingTruncated()
    {
        byte[] whole = IdxFiles.Images(4);
        string path = Write("images", whole.AsSpan(0, whole.Length - 100).ToArray());

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path, out _));

        Assert.Contains("truncated", e.Message);
        Assert.Contains((16 + (4 * 784)).ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
    }

    [Fact]
    public void ReadImages_TruncatedGzip_ThrowsSayingDownloadAgain()
    {
        byte[] gzip = IdxFiles.Gzip(IdxFiles.Images(50));
        string path = Write("images.gz", gzip.AsSpan(0, gzip.Length / 2).ToArray());

        var e = Assert.ThrowsAny<InvalidDataException>(() => IdxReader.ReadImages(path, out _));

        Assert.Contains(path, e.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(int.MaxValue)]
    public void ReadImages_GzipHoldingFarMoreThanItsHeaderAnnounces_IsRefusedWithoutReadingItAll(int announced)
    {
        // Regression (hardening, from the IDX fuzzing): a 64 KB gzip of 64 MB of zeros was unpacked whole into memory
        // before the header was checked (2 GB of zeros, 2 MB of gzip, ended in an IOException "Stream was too long").
        byte[] header = IdxFiles.Images(0, declaredCount: announced);
        string path = Write("bomb.gz", GzipOfZerosAfter(header, 64 << 20));

        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path, out _));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains(path, e.Message);
        Assert.True(allocated < 8 << 20, $"{allocated:N0} bytes allocated to refuse it");
    }

    /// <summary>gzip of <paramref name="start"/> followed by <paramref name="zeros"/> zero bytes.</summary>
    private static byte[] GzipOfZerosAfter(byte[] start, int zeros)
    {
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(start);
            var block = new byte[1 << 20];
            for (int written = 0; written < zeros; written += block.Length)
            {
                gzip.Write(block);
            }
        }
        return output.ToArray();
    }

    [Fact]
    public void ReadImages_HeaderOnlyHalfPresent_ThrowsSayingTruncated()
    {
        string path = Write("images", [0, 0, 8, 3, 0, 0]);

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path, out _));

        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void ReadImages_MissingFile_ThrowsFileNotFoundWithFullPath()
    {
        string path = _dir.File("nothing-here");

        var e = Assert.Throws<FileNotFoundException>(() => IdxReader.ReadImages(path, out _));

        Assert.Contains(Path.GetFullPath(path), e.Message);
    }

    [Fact]
    public void ReadLabels_LabelAboveNine_ThrowsNamingValueAndIndex()
    {
        string path = Write("labels", IdxFiles.Labels([1, 2, 12, 3]));

        var e = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path));

        Assert.Contains("label 12 at index 2", e.Message);
    }

    [Fact]
    public void ReadLabels_CountDisagreesWithLength_Throws()
    {
        string path = Write("labels", IdxFiles.Labels([1, 2, 3], declaredCount: 5));

        Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path));
    }

    [Fact]
    public void MnistDatasetLoad_ImageAndLabelCountsDisagree_ThrowsNamingBoth()
    {
        File.WriteAllBytes(_dir.File(MnistFiles.TestImages.Name), IdxFiles.Images(3));
        File.WriteAllBytes(_dir.File(MnistFiles.TestLabels.Name), IdxFiles.Labels([1, 2]));

        var e = Assert.Throws<InvalidDataException>(() => MnistDataset.Load(_dir.Path, MnistSplit.Test));

        Assert.Contains("3 images", e.Message);
        Assert.Contains("2 labels", e.Message);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(-5)]
    public void MnistDatasetLoad_FilesWithNoImages_AndALimit_GivesAnEmptyDataset(int limit)
    {
        // Regression (found by IdxReaderFuzzTests): Math.Clamp(limit, 1, 0) threw "'1' cannot be greater than 0."
        File.WriteAllBytes(_dir.File(MnistFiles.TestImages.Name), IdxFiles.Images(0));
        File.WriteAllBytes(_dir.File(MnistFiles.TestLabels.Name), IdxFiles.Labels([]));

        using MnistDataset data = MnistDataset.Load(_dir.Path, MnistSplit.Test, limit);

        Assert.Equal(0, data.Count);
    }

    [Fact]
    public void MnistDatasetLoad_MissingFolder_SaysHowToDownload()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => MnistDataset.Load(_dir.File("absent"), MnistSplit.Train));

        Assert.Contains("digits data download", e.Message);
    }

    [Fact]
    public void MnistDatasetLoad_RealTestSet_HasOfficialShapeAndLabelCounts()
    {
        using MnistDataset test = MnistDataset.Load(SharedMnist.Folder, MnistSplit.Test);

        Assert.Equal(new long[] { 10000, 1, 28, 28 }, test.Images.shape);
        Assert.Equal(0f, test.Images.min().ToSingle());
        Assert.Equal(1f, test.Images.max().ToSingle());
        // The official test set has 980 zeros and 1,135 ones.
        Assert.Equal(980, test.Labels.eq(0).sum().ToInt64());
        Assert.Equal(1135, test.Labels.eq(1).sum().ToInt64());
    }

    [Fact]
    public void Split_SameSeed_SameValidationImages_AndNoOverlap()
    {
        using MnistDataset data = MnistDataset.FromBytes(Enumerable.Range(0, 100 * 784).Select(i => (byte)(i / 784)).ToArray(), Enumerable.Range(0, 100).Select(i => (byte)(i % 10)).ToArray());

        (MnistDataset train1, MnistDataset val1) = data.Split(0.2, seed: 7);
        (MnistDataset train2, MnistDataset val2) = data.Split(0.2, seed: 7);
        using (train1)
        using (val1)
        using (train2)
        using (val2)
        {
            Assert.Equal(20, val1.Count);
            Assert.Equal(80, train1.Count);
            Assert.True(val1.Images.equal(val2.Images).all().ToBoolean());
            var valIds = val1.Images.select(2, 0).select(2, 0).select(1, 0).mul(255).round().data<float>().ToHashSet();
            var trainIds = train1.Images.select(2, 0).select(2, 0).select(1, 0).mul(255).round().data<float>().ToHashSet();
            Assert.Empty(valIds.Intersect(trainIds));
        }
    }
}
