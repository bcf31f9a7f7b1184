using Digits.Core.Preprocessing;
using Digits.Core.Tests.Support;
using Digits.Core.Training;
using static TorchSharp.torch;

namespace Digits.Core.Tests.Training;

[Collection(TorchTests.Name)]
public sealed class PenRedrawTests
{
    private const int Side = 28;

    [Fact]
    public void Apply_StrokeThinAtOneEndAndFatAtTheOther_RedrawsItOneWidthFromEndToEnd()
    {
        using var scope = NewDisposeScope();
        // A vertical stroke from row 4 to row 24 that widens from 1.5 px to 5.5 px, anti-aliased at its sides.
        float[] wedge = new float[Side * Side];
        for (int y = 4; y <= 24; y++)
        {
            float half = (1.5f + (4f * (y - 4) / 20)) / 2;
            for (int x = 0; x < Side; x++)
            {
                wedge[(y * Side) + x] = Math.Clamp(half + 0.5f - Math.Abs(x + 0.5f - 14f), 0, 1);
            }
        }
        Tensor images = tensor(wedge, [1, 1, Side, Side]).expand(16, -1, -1, -1).contiguous();
        random.manual_seed(3);

        Tensor redrawn = new Augmentation { PenShare = 1 }.Apply(images);

        float[] pixels = redrawn.contiguous().data<float>().ToArray();
        for (int i = 0; i < 16; i++)
        {
            double top = RowInk(wedge, 0, 8), bottom = RowInk(wedge, 0, 20);
            double penTop = RowInk(pixels, i, 8), penBottom = RowInk(pixels, i, 20);
            Assert.True(bottom - top > 2, $"the wedge is {top:F1} px wide near its top and {bottom:F1} px near its foot");
            Assert.True(Math.Abs(penBottom - penTop) < 0.5, $"redrawn {i}: {penTop:F2} px near the top, {penBottom:F2} px near the foot");
            Assert.InRange(penTop, 1.9, 3.7);
        }
        // The pen width is drawn for each image: the 16 do not all come out alike.
        double[] widths = [.. Enumerable.Range(0, 16).Select(i => RowInk(pixels, i, 14))];
        Assert.True(widths.Max() - widths.Min() > 0.5, $"pen widths from {widths.Min():F2} to {widths.Max():F2} px");
    }

    [Fact]
    public void Apply_MnistDigits_RedrawsTheShareAskedWithEvenStrokesWhereTheInkWas()
    {
        using var scope = NewDisposeScope();
        const int Count = 300;
        Tensor images = Mnist.Test.Images.narrow(0, 0, Count);
        random.manual_seed(4);

        Tensor redrawn = new Augmentation { PenShare = 0.5 }.Apply(images);

        float[] before = images.contiguous().data<float>().ToArray();
        float[] after = redrawn.contiguous().data<float>().ToArray();
        int[] changed = [.. Enumerable.Range(0, Count).Where(i => Enumerable.Range(i * Side * Side, Side * Side).Sum(p => Math.Abs(after[p] - before[p])) > 1)];
        Assert.InRange(changed.Length, Count * 0.4, Count * 0.6);
        var widths = new List<double>();
        foreach (int i in changed)
        {
            bool[] original = Mask(before, i);
            bool[] pen = Mask(after, i);
            // The pen follows the digit: nearly all its ink lies on the original's or next to it.
            bool[] near = Grow(original);
            int penInk = pen.Count(p => p);
            Assert.True(penInk > 20, $"digit {i} keeps {penInk} inked pixels");
            Assert.True(Enumerable.Range(0, pen.Length).Count(p => pen[p] && near[p]) >= 0.97 * penInk, $"digit {i}'s pen ink strays from the digit");
            widths.Add(StrokeWeight.Measure(pen, Side, Side));
        }
        // Widths as the pens drawn, 2.1 to 3.5 px; a small loop that the pen fills in measures wider.
        widths.Sort();
        Assert.InRange(widths[widths.Count / 2], 2.7, 3.3);
        Assert.InRange(widths[widths.Count / 10], 2.0, 2.6);
        Assert.InRange(widths[widths.Count * 9 / 10], 3.1, 3.8);
    }

    [Fact]
    public void Distances_ColourPictures_AreRefused()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => new Augmentation { PenShare = 1 }.Apply(zeros(2, 3, 8, 8)));
        Assert.Contains("grey pictures", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The ink across one row of an image, in pixels.</summary>
    private static double RowInk(float[] pixels, int image, int row) =>
        Enumerable.Range(0, Side).Sum(x => pixels[(image * Side * Side) + (row * Side) + x]);

    private static bool[] Mask(float[] pixels, int image) =>
        [.. Enumerable.Range(0, Side * Side).Select(p => pixels[(image * Side * Side) + p] > 0.5f)];

    /// <summary>The mask and every pixel next to it, diagonals included.</summary>
    private static bool[] Grow(bool[] mask) =>
        [.. Enumerable.Range(0, Side * Side).Select(p =>
        {
            int x = p % Side, y = p / Side;
            for (int dy = -1; dy <= 1; dy++)
            {
                for (int dx = -1; dx <= 1; dx++)
                {
                    int nx = x + dx, ny = y + dy;
                    if (nx >= 0 && ny >= 0 && nx < Side && ny < Side && mask[(ny * Side) + nx])
                    {
                        return true;
                    }
                }
            }
            return false;
        })];
}
