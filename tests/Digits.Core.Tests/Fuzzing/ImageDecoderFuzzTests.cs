using CsCheck;
using Digits.Core.Preprocessing;
using Digits.Tests.Support;

namespace Digits.Core.Tests.Fuzzing;

/// <summary>
/// <see cref="ImageDecoder.Decode"/> and <see cref="ImagePreprocessor.Prepare"/> fed generated pictures in every format
/// and damaged ones: flipped bytes, truncation, headers claiming 0x0, 100000x100000 or 65535x1, random bytes; and
/// grey images holding NaN and infinities passed straight to <see cref="ImagePreprocessor.Prepare"/>. The rule: a
/// picture and a prepared digit that keep their promises (sizes, values in [0, 1]), or an
/// <see cref="InvalidDataException"/> or <see cref="ImageTooLargeException"/>, the decoder's documented refusals.
/// </summary>
public sealed class ImageDecoderFuzzTests
{
    /// <summary>The pixel limits the callers use: the library's default, the web app's default, and a tiny one.</summary>
    private static readonly Gen<long> s_limits = Gen.Frequency((1, Gen.Const(ImageDecoder.DefaultMaxPixels)), (4, Gen.Const(1_000_000L)), (2, Gen.Const(4_096L)));

    private static readonly Gen<FuzzBytes> s_pictures = FuzzImages.Encoded(ImageDecoder.MinSide, 96);

    [Fact]
    public void Decode_GeneratedPictures_DecodeAtTheirSizeAndPrepare()
    {
        s_pictures.Sample(picture =>
        {
            GreyImage image = ImageDecoder.Decode(picture.Bytes);

            string[] size = picture.How.Split(' ')[1].Split('x');
            Assert.Equal((int.Parse(size[0], s_culture), int.Parse(size[1], s_culture)), (image.Width, image.Height));
            AssertGrey(image);
            AssertPrepared(ImagePreprocessor.Prepare(image));
        }, iter: FuzzRun.Iterations(150), seed: FuzzRun.Seed("0N0XlImgGood"), threads: 1);
    }

    [Fact]
    public void Decode_DamagedPictures_DecodesSomethingSaneOrRefusesWithATypedError()
    {
        Gen<FuzzBytes> inputs = Gen.Frequency(
            (6, FuzzImages.Encoded(1, 64).SelectMany(Mutations.Any)),
            (3, FuzzImages.Claiming(FuzzImages.Encoded(1, 32))),
            (1, FuzzImages.ClaimedSize.Where(s => s.Width is >= 0 and <= 1 << 20).Select(s => new FuzzBytes($"PNG claiming {s.Width}x{s.Height}, one row of data", TestPictures.PngClaiming(s.Width, s.Height)))),
            (1, FuzzImages.ClaimedSize.Where(s => s.Width is >= 0 and <= 1 << 20).Select(s => new FuzzBytes($"RLE BMP claiming {s.Width}x{s.Height}", HostilePictures.RleBmp(s.Width, s.Height)))),
            (2, Mutations.RandomAfter(256, FuzzImages.Signatures)));
        Gen.Select(inputs, s_limits).Sample((input, maxPixels) =>
        {
            GreyImage? image = null;
            FuzzRun.Outcome(() => image = ImageDecoder.Decode(input.Bytes, maxPixels), typeof(InvalidDataException), typeof(ImageTooLargeException));
            if (image is null)
            {
                return;
            }
            Assert.True(image.Width >= ImageDecoder.MinSide && image.Height >= ImageDecoder.MinSide, $"{image.Width}x{image.Height} is under the minimum");
            Assert.True((long)image.Width * image.Height <= maxPixels, $"{image.Width}x{image.Height} is over the {maxPixels} pixels allowed");
            AssertGrey(image);
            AssertPrepared(ImagePreprocessor.Prepare(image));
        }, iter: FuzzRun.Iterations(500), seed: FuzzRun.Seed("0N0XlImgDmgd"), threads: 1, print: c => $"{c.Item1}, limit {c.Item2}");
    }

    /// <summary>Values that are not luminances: NaN, the infinities, huge, negative, just outside [0, 1], the smallest positive.</summary>
    private static readonly Gen<float> s_strange = Gen.OneOf(
        float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, -float.MaxValue, -1e30f, 1e30f, -0.5f, 1.5f, -0f, float.Epsilon, 2f);

    /// <summary>Where the strange values go.</summary>
    private enum Placement
    {
        Scattered,
        Border,
        Everywhere,
        Row,
        Block,
    }

    [Fact]
    public void Prepare_GreyImagesWithNaNAndInfinities_GivesADigitOrABlankNeverACrash()
    {
        Gen<GreyFuzz> images = Gen.Select(Gen.Int[1, 160], Gen.Int[1, 160], Gen.Int[0, 3], Gen.Int, Gen.Enum<Placement>(), s_strange.Array[1, 4], Gen.Int[1, 40])
            .Select((width, height, background, seed, placement, values, count) => new GreyFuzz(width, height, background, seed, placement, values, count));
        images.Sample(fuzz =>
        {
            GreyImage image = fuzz.Build();
            PreparedPicture? prepared = null;
            FuzzRun.Outcome(() => prepared = ImagePreprocessor.Prepare(image), typeof(ArgumentException));
            if (prepared is not null)
            {
                AssertPrepared(prepared);
            }
        }, iter: FuzzRun.Iterations(400), seed: FuzzRun.Seed("0N0XlImgNaNs"), threads: 1);
    }

    /// <summary>A grey image to build: a background (white, black, grey noise, or a stroke on white) with strange values placed in it.</summary>
    private sealed record GreyFuzz(int Width, int Height, int Background, int Seed, Placement Placement, float[] Values, int Count)
    {
        public GreyImage Build()
        {
            var random = new Random(Seed);
            float[] pixels = new float[Width * Height];
            for (int i = 0; i < pixels.Length; i++)
            {
                pixels[i] = Background switch
                {
                    0 => 1f,
                    1 => 0f,
                    2 => random.NextSingle(),
                    _ => Math.Abs((i % Width) - (Width / 2)) < Math.Max(1, Width / 10) ? 0f : 1f,
                };
            }
            float Next() => Values[random.Next(Values.Length)];
            switch (Placement)
            {
                case Placement.Scattered:
                    for (int k = 0; k < Count; k++)
                    {
                        pixels[random.Next(pixels.Length)] = Next();
                    }
                    break;
                case Placement.Border:
                    for (int x = 0; x < Width; x++)
                    {
                        (pixels[x], pixels[((Height - 1) * Width) + x]) = (Next(), Next());
                    }
                    for (int y = 0; y < Height; y++)
                    {
                        (pixels[y * Width], pixels[(y * Width) + Width - 1]) = (Next(), Next());
                    }
                    break;
                case Placement.Everywhere:
                    for (int i = 0; i < pixels.Length; i++)
                    {
                        pixels[i] = Next();
                    }
                    break;
                case Placement.Row:
                    int row = random.Next(Height);
                    for (int x = 0; x < Width; x++)
                    {
                        pixels[(row * Width) + x] = Next();
                    }
                    break;
                default:
                    int left = random.Next(Width);
                    int top = random.Next(Height);
                    for (int y = top; y < Math.Min(Height, top + Count); y++)
                    {
                        for (int x = left; x < Math.Min(Width, left + Count); x++)
                        {
                            pixels[(y * Width) + x] = Next();
                        }
                    }
                    break;
            }
            return new GreyImage(Width, Height, pixels);
        }

        public override string ToString() =>
            $"{Width}x{Height}, background {Background}, seed {Seed}, {Placement} x{Count} of [{string.Join(", ", Values.Select(v => v.ToString(s_culture)))}]";
    }

    private static readonly System.Globalization.CultureInfo s_culture = System.Globalization.CultureInfo.InvariantCulture;

    private static void AssertGrey(GreyImage image)
    {
        Assert.Equal((long)image.Width * image.Height, image.Pixels.LongLength);
        Assert.All(image.Pixels, p => Assert.InRange(p, 0f, 1f));
    }

    /// <summary>784 values in [0, 1]; a blank is black and says why; a picture that is not one digit says why; a digit says nothing.</summary>
    private static void AssertPrepared(PreparedPicture prepared)
    {
        Assert.Equal(MnistGeometry.Size * MnistGeometry.Size, prepared.Pixels.Length);
        Assert.All(prepared.Pixels, p => Assert.InRange(p, 0f, 1f));
        Assert.Equal(prepared.Problem != InkProblem.None, prepared.Detail is not null);
        if (prepared.Problem == InkProblem.Blank)
        {
            Assert.All(prepared.Pixels, p => Assert.Equal(0f, p));
        }
    }
}
