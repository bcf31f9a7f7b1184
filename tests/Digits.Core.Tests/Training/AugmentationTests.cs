using CsCheck;
using Digits.Core.Tests.Support;
using Digits.Core.Training;
using static TorchSharp.torch;

namespace Digits.Core.Tests.Training;

[Collection(TorchTests.Name)]
public sealed class AugmentationTests
{
    private static Tensor Digits(int count) => Mnist.Test.Images.narrow(0, 0, count);

    [Fact]
    public void Apply_DigitsPreset_KeepsShapeAndRangeAndChangesEveryImage()
    {
        using var scope = NewDisposeScope();
        Tensor images = Digits(64);
        random.manual_seed(1);

        Tensor augmented = Augmentation.Digits.Apply(images);

        Assert.Equal(images.shape, augmented.shape);
        Assert.True(augmented.min().ToSingle() >= -1e-5f && augmented.max().ToSingle() <= 1 + 1e-5f);
        Tensor change = augmented.sub(images).abs().mean([1, 2, 3]);
        Assert.True(change.min().ToSingle() > 0.01f, "every image is changed");
        // The digit stays a digit: ink is moved, not erased or smeared over the image.
        Tensor ink = augmented.sum([1, 2, 3]).div(images.sum([1, 2, 3]));
        Assert.InRange(ink.min().ToSingle(), 0.3f, 1f);
        Assert.InRange(ink.max().ToSingle(), 1f, 3f);
    }

    [Fact]
    public void Apply_PhotosPreset_OnColourPictures_KeepsShapeAndRangeAndMirrorsSome()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(2);
        // A colour gradient from left to right, so that a mirror turns the left half's mean into the right half's.
        Tensor ramp = linspace(0, 1, 32).view(1, 1, 1, 32).expand(64, 3, 32, 32).contiguous();

        Tensor augmented = Augmentation.Photos.Apply(ramp);

        Assert.Equal(ramp.shape, augmented.shape);
        Assert.True(augmented.min().ToSingle() >= -1e-5f && augmented.max().ToSingle() <= 1 + 1e-5f);
        Tensor leftBrighter = augmented.narrow(3, 0, 16).mean([1, 2, 3]).gt(augmented.narrow(3, 16, 16).mean([1, 2, 3]));
        Assert.InRange(leftBrighter.sum().ToInt64(), 16, 48);
    }

    [Fact]
    public void Apply_SameSeed_SameResult()
    {
        using var scope = NewDisposeScope();
        random.manual_seed(7);
        Tensor first = Augmentation.Digits.Apply(Digits(16));
        random.manual_seed(7);
        Tensor second = Augmentation.Digits.Apply(Digits(16));

        Assert.True(first.eq(second).all().item<bool>());
    }

    [Fact]
    public void Apply_OnlyStrokeWidth_ThickensOrThinsWithoutMoving()
    {
        using var scope = NewDisposeScope();
        Tensor images = Digits(300);
        random.manual_seed(2);

        Tensor augmented = new Augmentation { StrokeWidth = true }.Apply(images);

        // A third of the images are unchanged, a third gain ink, a third lose some.
        Tensor ratio = augmented.sum([1, 2, 3]).div(images.sum([1, 2, 3]));
        long same = ratio.sub(1).abs().lt(1e-4).sum().ToInt64();
        long thicker = ratio.gt(1.1).sum().ToInt64();
        long thinner = ratio.lt(0.9).sum().ToInt64();
        Assert.InRange(same, 60, 140);
        Assert.InRange(thicker, 60, 140);
        Assert.InRange(thinner, 60, 140);
    }

    [Fact]
    public void Apply_HorizontalFlip_MirrorsAboutHalf()
    {
        using var scope = NewDisposeScope();
        Tensor images = Digits(200);
        random.manual_seed(3);

        Tensor flipped = new Augmentation { HorizontalFlip = true }.Apply(images);

        long mirrored = flipped.sub(images.flip(3)).abs().amax([1, 2, 3]).lt(1e-4).sum().ToInt64();
        Assert.InRange(mirrored, 70, 130);
    }

    [Fact]
    public void Apply_WritingStyles_AddsStrokesToZerosOnesAndSevensOnly()
    {
        using var scope = NewDisposeScope();
        Tensor images = Digits(1000);
        Tensor labels = Mnist.Test.Labels.narrow(0, 0, 1000);
        random.manual_seed(4);

        Tensor styled = new Augmentation { WritingStyles = true }.Apply(images, labels);

        Tensor added = styled.sub(images).sum([1, 2, 3]);
        Assert.True(styled.ge(images.sub(1e-5)).all().item<bool>(), "strokes are only added");
        Tensor changed = added.gt(1);
        Assert.Equal(0, changed.logical_and(labels.ne(0).logical_and(labels.ne(1)).logical_and(labels.ne(7))).sum().ToInt64());
        double onesFlagged = changed.logical_and(labels.eq(1)).sum().ToInt64() / (double)labels.eq(1).sum().ToInt64();
        double sevensBarred = changed.logical_and(labels.eq(7)).sum().ToInt64() / (double)labels.eq(7).sum().ToInt64();
        Assert.InRange(onesFlagged, 0.4, 0.7);
        Assert.InRange(sevensBarred, 0.2, 0.47);
    }

    [Fact]
    public void Apply_WritingStyles_SlashesOrDotsAFifthOfTheZerosThroughTheirEmptyMiddle()
    {
        using var scope = NewDisposeScope();
        (Tensor zeros, Tensor labels) = OfDigit(0, 600);
        random.manual_seed(6);

        Tensor styled = new Augmentation { WritingStyles = true }.Apply(zeros, labels);

        bool[] changed = styled.sub(zeros).sum([1, 2, 3]).gt(1).data<bool>().ToArray();
        float[] before = zeros.contiguous().data<float>().ToArray();
        float[] after = styled.contiguous().data<float>().ToArray();
        int[] styledZeros = [.. Enumerable.Range(0, changed.Length).Where(i => changed[i])];
        Assert.InRange(styledZeros.Length / (double)changed.Length, 0.13, 0.27);
        // A 0's middle is paper; a slashed or dotted one has ink there.
        int emptyMiddles = styledZeros.Count(i => Middle(before, i) < 0.3);
        Assert.True(emptyMiddles > 0.8 * styledZeros.Length, $"{emptyMiddles} of {styledZeros.Length} had an empty middle");
        Assert.All(styledZeros, i => Assert.True(Middle(after, i) > 0.5, $"zero #{i} has no ink in its middle"));
        // The slash (three times as common as the dot) runs out of the ring at both ends.
        double longer = styledZeros.Count(i => Box(after, i).Height > Box(before, i).Height + 1) / (double)styledZeros.Length;
        Assert.InRange(longer, 0.5, 0.95);
    }

    [Fact]
    public void Apply_WritingStyles_PutsABarAtTheFootOfSomeOnes()
    {
        using var scope = NewDisposeScope();
        (Tensor ones, Tensor labels) = OfDigit(1, 600);
        random.manual_seed(7);

        Tensor styled = new Augmentation { WritingStyles = true }.Apply(ones, labels);

        float[] before = ones.contiguous().data<float>().ToArray();
        float[] after = styled.contiguous().data<float>().ToArray();
        // A bare 1 is a few pixels wide at its foot; a footed one is as wide as 40-60% of its height.
        int count = (int)labels.shape[0];
        double Footed(float[] pixels) => Enumerable.Range(0, count).Count(i => FootWidth(pixels, i) >= 0.35 * Box(pixels, i).Height) / (double)count;
        Assert.True(Footed(before) < 0.03, $"{Footed(before):P1} of plain 1s are wide at the foot");
        Assert.InRange(Footed(after) - Footed(before), 0.09, 0.22);
    }

    private const int Side = 28;

    /// <summary>The first <paramref name="count"/> test images of <paramref name="digit"/>, and their labels.</summary>
    private static (Tensor Images, Tensor Labels) OfDigit(int digit, int count)
    {
        Tensor indices = Mnist.Test.Labels.eq(digit).nonzero().view(-1).narrow(0, 0, count);
        return (Mnist.Test.Images.index_select(0, indices), Mnist.Test.Labels.index_select(0, indices));
    }

    private static (int Top, int Bottom, int Left, int Right, int Height) Box(float[] pixels, int image)
    {
        int top = Side, bottom = -1, left = Side, right = -1;
        for (int y = 0; y < Side; y++)
        {
            for (int x = 0; x < Side; x++)
            {
                if (pixels[(image * Side * Side) + (y * Side) + x] > 0.5f)
                {
                    (top, bottom, left, right) = (Math.Min(top, y), Math.Max(bottom, y), Math.Min(left, x), Math.Max(right, x));
                }
            }
        }
        return (top, bottom, left, right, bottom - top + 1);
    }

    /// <summary>The brightest pixel of the 3x3 block at the centre of the ink's box.</summary>
    private static float Middle(float[] pixels, int image)
    {
        (int top, int bottom, int left, int right, _) = Box(pixels, image);
        int cy = (top + bottom + 1) / 2, cx = (left + right + 1) / 2;
        float most = 0;
        for (int y = cy - 1; y <= cy + 1; y++)
        {
            for (int x = cx - 1; x <= cx + 1; x++)
            {
                most = Math.Max(most, pixels[(image * Side * Side) + (y * Side) + x]);
            }
        }
        return most;
    }

    /// <summary>How many columns hold ink in the ink's two lowest rows.</summary>
    private static int FootWidth(float[] pixels, int image)
    {
        int bottom = Box(pixels, image).Bottom;
        return Enumerable.Range(0, Side).Count(x => pixels[(image * Side * Side) + (bottom * Side) + x] > 0.5f || pixels[(image * Side * Side) + ((bottom - 1) * Side) + x] > 0.5f);
    }

    [Fact]
    public void Parse_PresetWithOptions_ChangesOnlyWhatIsNamed()
    {
        Augmentation? changed = Augmentation.Parse("photos, rotation=20, flip=off");

        Assert.Equal(Augmentation.Photos with { RotationDegrees = 20, HorizontalFlip = false }, changed);
        Assert.Equal("rotation=20,shear=11.5,zoom=0.8:1.2,shift=0.2", changed!.ToString());
        Assert.Equal(new Augmentation { ZoomMin = 0.8, ZoomMax = 1.2, StrokeWidth = true }, Augmentation.Parse("zoom=0.2,stroke"));
        Assert.Equal(new Augmentation { ZoomMin = 0.9, ZoomMax = 1.5 }, Augmentation.Parse("zoom=0.9:1.5"));
        Assert.Same(Augmentation.Digits, Augmentation.Parse("digits"));
        Assert.Equal("digits", Augmentation.Parse("none,rotation=15,shear=15,zoom=0.8:1.2,shift=0.1,elastic=1.5,stroke,styles")!.ToString());
        Assert.Null(Augmentation.Parse("none"));
        Assert.Null(Augmentation.Parse("photos,rotation=0,shear=0,zoom=0,shift=0,flip=off"));
        Assert.Equal(Augmentation.Photos with { RotationDegrees = 20 }, Augmentation.Parse(" photos, ,rotation = 20,"));
    }

    [Fact]
    public void Parse_AnyAugmentationItWrites_ReadsBackTheSame()
    {
        Gen<double> degrees = Gen.Int[0, 60].Select(d => d / 2.0);
        Gen<(double, double, double, double)> geometry = Gen.Select(degrees, degrees, Gen.Double[0.1, 1], Gen.Double[1, 3]);
        Gen<(double, double, bool, bool, bool)> rest = Gen.Select(Gen.Double[0, 1], Gen.Double[0, 10], Gen.Bool, Gen.Bool, Gen.Bool);
        Gen<Augmentation> augmentations = Gen.Select(geometry, rest, Gen.Double[0, 1], (g, r, pen) => new Augmentation
        {
            RotationDegrees = g.Item1,
            ShearDegrees = g.Item2,
            ZoomMin = g.Item3,
            ZoomMax = g.Item4,
            ShiftFraction = r.Item1,
            ElasticPixels = r.Item2,
            HorizontalFlip = r.Item3,
            StrokeWidth = r.Item4,
            WritingStyles = r.Item5,
            PenShare = pen,
        });

        augmentations.Sample(augmentation => Assert.Equal(augmentation, Augmentation.Parse(augmentation.ToString())));
    }

    [Theory]
    [InlineData("zoom=0.9")]
    [InlineData("photos,zoom=0.9,flip=off")]
    public void Parse_WidestZoomRange_ReadsBackFromItsCanonicalForm(string spec)
    {
        // Regression (found by AugmentationFuzzTests): 1 - 0.9 is 0.09999999999999998 in binary, written as
        // "zoom=0.09999999999999998:1.9", which the LOW:HIGH form refused as below its 0.1; `--resume` could not read the
        // model file's own recipe back.
        Augmentation parsed = Augmentation.Parse(spec)!;

        Assert.Equal(parsed, Augmentation.Parse(parsed.ToString()));
    }

    [Theory]
    [InlineData("cats", "Unknown augmentation 'cats'; start with a preset (none, digits, photos)")]
    [InlineData("photos,spin=3", "Unknown augmentation option 'spin'; the options are rotation, shear")]
    [InlineData("rotation=400", "rotation takes a number from 0 to 180 (degrees), as in rotation=15; received '400'")]
    [InlineData("shift=big", "shift takes a number from 0 to 1")]
    [InlineData("digits,pen=1.5", "pen takes a number from 0 to 1 (a share of the images), as in pen=0.5")]
    [InlineData("zoom=1.2:0.8", "the second no smaller than the first")]
    [InlineData("flip=maybe", "flip is a switch")]
    [InlineData("flip,photos", "The preset 'photos' must come first")]
    [InlineData(" , ", "The augmentation is empty")]
    public void Parse_BadSpec_SaysWhatIsWrong(string spec, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => Augmentation.Parse(spec));
        Assert.Contains(message, error.Message);
    }
}
