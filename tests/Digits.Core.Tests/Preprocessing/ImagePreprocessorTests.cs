using CsCheck;
using Digits.Core.Preprocessing;
using Digits.Core.Tests.Support;
using Digits.Tests.Support;
using SkiaSharp;

namespace Digits.Core.Tests.Preprocessing;

public sealed class ImagePreprocessorTests
{
    private const int Side = MnistGeometry.Size;

    [Fact]
    public void Prepare_MnistDigits_ComeBackAlmostUnchanged()
    {
        // MNIST digits are already what preprocessing makes; doing it again must not move or reshape them.
        float[] pixels = Mnist.Test.Images.narrow(0, 0, 200).contiguous().data<float>().ToArray();
        double difference = 0;
        for (int k = 0; k < 200; k++)
        {
            PreparedPicture prepared = ImagePreprocessor.Prepare(TestPictures.FromMnist(pixels.AsSpan(k * 784, 784)));
            Assert.True(prepared.IsReadable, prepared.Detail);
            for (int i = 0; i < 784; i++)
            {
                difference += Math.Abs(prepared.Pixels[i] - pixels[(k * 784) + i]);
            }
        }
        Assert.InRange(difference / (200 * 784), 0, 0.09);
    }

    [Fact]
    public void Prepare_DarkInkOnLightAndLightInkOnDark_GiveTheSameDigit()
    {
        GreyImage dark = StrokeRenderer.Render(TestPictures.Seven(280), 280, 280, 18);
        var light = new GreyImage(280, 280, [.. dark.Pixels.Select(v => 1 - v)]);

        float[] fromDark = ImagePreprocessor.Prepare(dark).Pixels;
        float[] fromLight = ImagePreprocessor.Prepare(light).Pixels;

        Assert.Equal(0, fromDark.Zip(fromLight, (a, b) => Math.Abs(a - b)).Max(), 3);
        Assert.True(fromDark.Max() > 0.99f, "the ink is white (1) on black (0), as in MNIST");
        Assert.Equal(0f, fromDark[0]);
    }

    [Fact]
    public void Prepare_TransparentCanvas_TreatsTransparencyAsBackground()
    {
        GreyImage drawn = StrokeRenderer.Render(TestPictures.Seven(200), 200, 200, 14);
        byte[] white = TestPictures.ToRgba(drawn);
        byte[] transparentBlack = (byte[])white.Clone();
        byte[] transparentWhiteInk = (byte[])white.Clone();
        for (int i = 0; i < drawn.Pixels.Length; i++)
        {
            // Ink as opacity: black or white strokes on a fully transparent canvas.
            byte alpha = (byte)(255 - white[i * 4]);
            (transparentBlack[i * 4], transparentBlack[(i * 4) + 1], transparentBlack[(i * 4) + 2], transparentBlack[(i * 4) + 3]) = (0, 0, 0, alpha);
            (transparentWhiteInk[i * 4], transparentWhiteInk[(i * 4) + 1], transparentWhiteInk[(i * 4) + 2], transparentWhiteInk[(i * 4) + 3]) = (255, 255, 255, alpha);
        }

        float[] expected = ImagePreprocessor.Prepare(drawn).Pixels;
        foreach (byte[] rgba in new[] { transparentBlack, transparentWhiteInk })
        {
            float[] actual = ImagePreprocessor.Prepare(ImageDecoder.FromRgba(rgba, 200, 200)).Pixels;
            // Edges differ a little: anti-aliased ink is carried by alpha instead of grey.
            Assert.InRange(expected.Zip(actual, (a, b) => Math.Abs(a - b)).Max(), 0, 0.15);
            Assert.InRange(expected.Zip(actual, (a, b) => Math.Abs(a - b)).Average(), 0, 0.01);
        }
    }

    [Theory]
    [InlineData(1000, 2)]
    [InlineData(1000, 150)]
    [InlineData(60, 2)]
    [InlineData(280, 18)]
    public void Prepare_AnyPenOnAnyCanvas_GivesAnMnistLikeStrokeWidth(int size, float pen)
    {
        // A hairline in a big picture must not vanish, and a fat marker must not become a blob.
        GreyImage drawn = StrokeRenderer.Render(TestPictures.Seven(size), size, size, pen, maxSide: size);

        PreparedPicture prepared = ImagePreprocessor.Prepare(drawn);

        Assert.True(prepared.IsReadable, prepared.Detail);
        double width = ImagePreprocessor.MeasureStrokeWidth(new GreyImage(Side, Side, prepared.Pixels));
        Assert.InRange(width, 2.0, 3.7);
        Assert.True(prepared.Pixels.Max() > 0.9f, "strokes reach full strength");
    }

    [Fact]
    public void Prepare_AnyStroke_FitsTheTwentyPixelBoxAndCentresTheMass()
    {
        const int Strokes = 100;
        int accepted = 0;
        Gen<(float X, float Y)> point = Gen.Select(Gen.Float[20, 480], Gen.Float[20, 480]);
        Gen.Select(point.Array[2, 6], Gen.Float[4, 40]).Sample((points, pen) =>
        {
            GreyImage drawn = StrokeRenderer.Render([[.. points.Select(p => new SKPoint(p.X, p.Y))]], 500, 500, pen, maxSide: 500);
            PreparedPicture prepared = ImagePreprocessor.Prepare(drawn);
            if (!prepared.IsReadable)
            {
                return true;
            }
            Interlocked.Increment(ref accepted);
            (double cx, double cy, int left, int top, int right, int bottom) = Geometry(prepared.Pixels);
            int extent = Math.Max(right - left + 1, bottom - top + 1);
            // The longer side of the ink is 20 px, and the centre of mass sits at 14 on each axis unless that
            // would push ink out of the image, in which case the ink touches the edge instead.
            bool xCentred = Math.Abs(cx - 14) < 1 || left <= 1 || right >= Side - 2;
            bool yCentred = Math.Abs(cy - 14) < 1 || top <= 1 || bottom >= Side - 2;
            return extent is >= 19 and <= 23 && xCentred && yCentred;
        }, iter: Strokes);

        // Refusing every stroke would pass the property above. A single stroke is refused only when it is more than twice
        // as wide as it is tall, like a line of text: measured, 89% of 2,000 random strokes were accepted, so at least
        // three quarters of these must be.
        Assert.True(accepted >= Strokes * 3 / 4, $"{accepted} of {Strokes} single strokes were accepted as a digit");
    }

    [Fact]
    public void Prepare_EmptyOrNearlyEmptyPicture_IsBlank()
    {
        var white = new GreyImage(300, 300, [.. Enumerable.Repeat(1f, 300 * 300)]);
        GreyImage dot = StrokeRenderer.Render([[new SKPoint(150, 150)]], 300, 300, 3);

        Assert.Equal(InkProblem.Blank, ImagePreprocessor.Prepare(white).Problem);
        Assert.Equal(InkProblem.Blank, ImagePreprocessor.Prepare(dot).Problem);
    }

    [Fact]
    public void Prepare_ATapOfThePagesPenOrAFilledShape_IsShapeless()
    {
        GreyImage tap = StrokeRenderer.Render([[new SKPoint(140, 140)]], PageCanvas.Size, PageCanvas.Size, PageCanvas.PenWidth);
        GreyImage shortTap = StrokeRenderer.Render([[new SKPoint(140, 140), new SKPoint(144, 143)]], PageCanvas.Size, PageCanvas.Size, PageCanvas.PenWidth);
        GreyImage disc = StrokeRenderer.Render([[new SKPoint(150, 150)]], 300, 300, 60);
        var square = new GreyImage(300, 300, [.. Enumerable.Range(0, 300 * 300).Select(i => i % 300 is > 80 and < 220 && i / 300 is > 80 and < 220 ? 0f : 1f)]);

        Assert.All(new[] { tap, shortTap, disc, square }, picture => Assert.Equal(InkProblem.Shapeless, ImagePreprocessor.Prepare(picture).Problem));
    }

    [Fact]
    public void Prepare_EveryPenDigitOnThePagesCanvas_HasStrokes()
    {
        // Drawn at their usual size, and as small as a third of it: no real digit is taken for a dot or a blob.
        foreach (double fill in new[] { 0.65, 0.2 })
        {
            int shapeless = SharedPenDigits.Digits.Count(d =>
                ImagePreprocessor.Prepare(StrokeRenderer.Render(d.OnCanvas(PageCanvas.Size, fill), PageCanvas.Size, PageCanvas.Size, PageCanvas.PenWidth)).Problem == InkProblem.Shapeless);
            Assert.True(shapeless == 0, $"{shapeless} digits drawn at {fill:P0} of the canvas were taken for a dot or a blob");
        }
    }

    [Fact]
    public void Prepare_TwoCharactersOrALineOfText_IsNotOneDigit()
    {
        IReadOnlyList<SKPoint>[] two =
        [
            [new SKPoint(60, 60), new SKPoint(60, 240)],
            [new SKPoint(180, 80), new SKPoint(240, 60), new SKPoint(240, 240)],
        ];
        IReadOnlyList<SKPoint>[] text = [.. Enumerable.Range(0, 8).Select(i => (IReadOnlyList<SKPoint>)[new SKPoint(20 + (i * 60), 130), new SKPoint(40 + (i * 60), 170)])];

        Assert.Equal(InkProblem.NotOneDigit, ImagePreprocessor.Prepare(StrokeRenderer.Render(two, 300, 300, 12)).Problem);
        Assert.Equal(InkProblem.NotOneDigit, ImagePreprocessor.Prepare(StrokeRenderer.Render(text, 520, 300, 12)).Problem);
    }

    [Fact]
    public void Prepare_ScatteredNoise_IsNotOneDigit()
    {
        var random = new Random(5);
        var noise = new float[400 * 400];
        for (int i = 0; i < noise.Length; i++)
        {
            noise[i] = random.NextDouble() < 0.03 ? 0 : 1;
        }

        PreparedPicture prepared = ImagePreprocessor.Prepare(new GreyImage(400, 400, noise));

        Assert.NotEqual(InkProblem.None, prepared.Problem);
    }

    /// <summary>Centre of mass, and the bounding box of the pixels above 0.1.</summary>
    private static (double X, double Y, int Left, int Top, int Right, int Bottom) Geometry(float[] pixels)
    {
        double sum = 0;
        double sx = 0;
        double sy = 0;
        int left = Side;
        int right = -1;
        int top = Side;
        int bottom = -1;
        for (int y = 0; y < Side; y++)
        {
            for (int x = 0; x < Side; x++)
            {
                float v = pixels[(y * Side) + x];
                sum += v;
                sx += v * (x + 0.5);
                sy += v * (y + 0.5);
                if (v > 0.1f)
                {
                    (left, right, top, bottom) = (Math.Min(left, x), Math.Max(right, x), Math.Min(top, y), Math.Max(bottom, y));
                }
            }
        }
        return (sx / sum, sy / sum, left, top, right, bottom);
    }
}
