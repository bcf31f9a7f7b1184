using Digits.Core.Data;
using Digits.Core.Evaluation;
using Digits.Core.Preprocessing;
using Digits.Core.Tests.Support;
using Digits.Tests.Support;

namespace Digits.Core.Tests.Data;

/// <summary>Digit folders: real pictures of digits in sub-folders named 0 to 9, read as MNIST-shaped data.</summary>
[Collection(TorchTests.Name)]
public sealed class DigitFolderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_PicturesInDigitFolders_TakesEachLabelFromItsFolder_AndSkipsANonPictureSayingWhy()
    {
        PenDigit pen = SharedPenDigits.Digits.First(d => d.Label == 3 && d.Prepare().IsReadable);
        string three = Path.Combine(_dir.Path, "3", "pen.png");
        Directory.CreateDirectory(Path.GetDirectoryName(three)!);
        File.WriteAllBytes(three, TestPictures.CanvasPng(pen));
        string seven = TestPictures.WriteDrawnSeven(Path.Combine(_dir.Path, "7", "seven.png"));
        string notes = Path.Combine(_dir.Path, "7", "notes.png");
        File.WriteAllText(notes, "not a picture");
        // Only folders named 0 to 9 are read.
        TestPictures.WriteDrawnSeven(Path.Combine(_dir.Path, "sevens", "seven.png"));

        (MnistDataset digits, IReadOnlyList<SkippedFile> skipped) = DigitFolder.Load(_dir.Path);

        using (digits)
        {
            Assert.Equal(new long[] { 2, 1, 28, 28 }, digits.Images.shape);
            Assert.Equal(new long[] { 3, 7 }, digits.Labels.data<long>().ToArray());
            Assert.Equal(Prepared(three), digits.Images[0].mul(255).round().data<float>().ToArray());
            Assert.Equal(Prepared(seven), digits.Images[1].mul(255).round().data<float>().ToArray());
        }
        SkippedFile skip = Assert.Single(skipped);
        Assert.Equal(notes, skip.Path);
        Assert.Contains("Not an image", skip.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void FromStrokes_PenDigits_DrawsThemAsTheCanvasPictureIsPreparedAndLeavesOutWhatIsNotOneDigit()
    {
        PenDigit[] pens = [.. SharedPenDigits.Digits.Where(d => d.Prepare().IsReadable).Take(3)];
        var dash = new PenDigit(1, "w99", [[new(0, 0), new(0.5f, 0)], [new(40, 0), new(40.5f, 0)]]);
        string png = Path.Combine(_dir.Path, "pen.png");
        File.WriteAllBytes(png, TestPictures.CanvasPng(pens[1]));

        (MnistDataset digits, int leftOut) = DigitFolder.FromStrokes([pens[0], dash, pens[1], pens[2]]);

        using (digits)
        {
            Assert.Equal(1, leftOut);
            Assert.Equal(pens.Select(p => (long)p.Label), digits.Labels.data<long>().ToArray());
            Assert.Equal(Prepared(png), digits.Images[1].mul(255).round().data<float>().ToArray());
        }
    }

    /// <summary>The picture as the product prepares it, rounded to the 0-255 steps a digit folder keeps.</summary>
    private static float[] Prepared(string path) =>
        [.. ImagePreprocessor.Prepare(ImageDecoder.DecodeFile(path)).Pixels.Select(p => (float)GreyImage.ToByte(p))];
}
