using Digits.Core.Preprocessing;
using Digits.Tests.Support;
using SkiaSharp;

namespace Digits.Core.Tests.Preprocessing;

public sealed class ImageDecoderTests
{
    private static GreyImage Drawn() => StrokeRenderer.Render(TestPictures.Seven(120), 120, 120, 9);

    [Theory]
    [InlineData(SKEncodedImageFormat.Png)]
    [InlineData(SKEncodedImageFormat.Jpeg)]
    [InlineData(SKEncodedImageFormat.Webp)]
    public void Decode_EncodedPicture_GivesItsPixelsBack(SKEncodedImageFormat format)
    {
        GreyImage drawn = Drawn();

        GreyImage decoded = ImageDecoder.Decode(TestPictures.Encode(drawn, format, quality: 95));

        Assert.Equal((120, 120), (decoded.Width, decoded.Height));
        double meanError = drawn.Pixels.Zip(decoded.Pixels, (a, b) => Math.Abs(a - b)).Average();
        Assert.InRange(meanError, 0, 0.02);
    }

    [Fact]
    public void Decode_FormatSkiaReadsButNotPromised_IsRefusedByName()
    {
        byte[] wbmp = HostilePictures.Wbmp(16, 16);
        using (SKCodec? codec = SKCodec.Create(new MemoryStream(wbmp)))
        {
            // Skia itself reads it, so the refusal is the decoder's choice.
            Assert.Equal(SKEncodedImageFormat.Wbmp, codec?.EncodedFormat);
        }

        InvalidDataException refusal = Assert.Throws<InvalidDataException>(() => ImageDecoder.Decode(wbmp));

        Assert.Contains("WBMP", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("PNG, JPEG, BMP, WebP or GIF", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToPng_DecodedPicture_IsAPngOfTheSamePixels()
    {
        GreyImage drawn = ImageDecoder.Decode(TestPictures.Encode(Drawn(), SKEncodedImageFormat.Jpeg, quality: 80));

        byte[] png = drawn.ToPng();

        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Equal([.. drawn.Pixels.Select(GreyImage.ToByte)], ImageDecoder.Decode(png).Pixels.Select(GreyImage.ToByte));
    }

    [Fact]
    public void Decode_Bmp_IsRead()
    {
        // SkiaSharp does not write BMP, so this one is written by hand: 24-bit, bottom-up rows padded to 4 bytes.
        const int Size = 16;
        int rowBytes = ((Size * 3) + 3) / 4 * 4;
        var bmp = new byte[54 + (rowBytes * Size)];
        "BM"u8.CopyTo(bmp);
        BitConverter.GetBytes(bmp.Length).CopyTo(bmp, 2);
        BitConverter.GetBytes(54).CopyTo(bmp, 10);
        BitConverter.GetBytes(40).CopyTo(bmp, 14);
        BitConverter.GetBytes(Size).CopyTo(bmp, 18);
        BitConverter.GetBytes(Size).CopyTo(bmp, 22);
        BitConverter.GetBytes((short)1).CopyTo(bmp, 26);
        BitConverter.GetBytes((short)24).CopyTo(bmp, 28);
        for (int row = 0; row < Size; row++)
        {
            for (int x = 0; x < Size; x++)
            {
                // The top row (stored last) is white, the rest black.
                byte v = row == Size - 1 ? (byte)255 : (byte)0;
                bmp[54 + (row * rowBytes) + (x * 3)] = v;
                bmp[54 + (row * rowBytes) + (x * 3) + 1] = v;
                bmp[54 + (row * rowBytes) + (x * 3) + 2] = v;
            }
        }

        GreyImage decoded = ImageDecoder.Decode(bmp);

        Assert.Equal(1f, decoded.Pixels[0]);
        Assert.Equal(0f, decoded.Pixels[^1]);
    }

    [Fact]
    public void Decode_Empty_SaysTheFileIsEmpty() =>
        Assert.Contains("empty", Assert.Throws<InvalidDataException>(() => ImageDecoder.Decode([])).Message);

    [Fact]
    public void Decode_Text_SaysItIsNotAnImage() =>
        Assert.Contains("Not an image", Assert.Throws<InvalidDataException>(() => ImageDecoder.Decode("my digit is a seven"u8)).Message);

    [Fact]
    public void Decode_TruncatedPng_SaysItIsTruncated()
    {
        byte[] png = TestPictures.Encode(Drawn(), SKEncodedImageFormat.Png);

        var error = Assert.Throws<InvalidDataException>(() => ImageDecoder.Decode(png.AsSpan(0, png.Length / 2)));

        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void Decode_OnePixel_SaysItIsTooSmall()
    {
        var one = new GreyImage(1, 1, [0f]);

        var error = Assert.Throws<InvalidDataException>(() => ImageDecoder.Decode(TestPictures.Encode(one, SKEncodedImageFormat.Png)));

        Assert.Contains("1x1", error.Message);
        Assert.Contains("too small", error.Message);
    }

    [Fact]
    public void Decode_HugePngHeader_IsRefusedBeforeDecoding()
    {
        // Only one row of data exists: a decoder that tried to decode would fail differently (truncated) after allocating 1.6 GB.
        var error = Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(TestPictures.PngClaiming(20000, 20000)));

        Assert.Contains("20000x20000", error.Message);
        Assert.Contains("over the limit", error.Message);
    }

    [Fact]
    public void Decode_JpegOverTheLimit_IsDecodedScaledDownToFit_AndStillReads()
    {
        // Regression (hardening): a big JPEG was decoded whole, 150 ms of CPU for a 12-megapixel one.
        byte[] photo = TestPictures.Encode(StrokeRenderer.Render(TestPictures.Seven(2000), 2000, 1600, 120, maxSide: 2000), SKEncodedImageFormat.Jpeg);

        GreyImage decoded = ImageDecoder.Decode(photo, maxPixels: 300_000);

        Assert.Equal((500, 400), (decoded.Width, decoded.Height));
        PreparedPicture prepared = ImagePreprocessor.Prepare(decoded);
        PreparedPicture full = ImagePreprocessor.Prepare(ImageDecoder.Decode(photo));
        Assert.True(prepared.IsReadable, prepared.Detail);
        Assert.True(prepared.Pixels.Zip(full.Pixels, (a, b) => Math.Abs(a - b)).Average() < 0.03, "the scaled decode prepares like the full one");
    }

    [Fact]
    public void Decode_OtherFormatsOverTheLimit_OrJpegsOverFourTimesIt_AreRefused()
    {
        byte[] png = TestPictures.Encode(new GreyImage(1000, 1000, new float[1000 * 1000]), SKEncodedImageFormat.Png);
        byte[] jpeg = TestPictures.Encode(new GreyImage(1000, 1000, new float[1000 * 1000]), SKEncodedImageFormat.Jpeg);

        Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(png, maxPixels: 999_999));
        Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(HostilePictures.RleBmp(1000, 1000), maxPixels: 999_999));
        Assert.Equal(250, ImageDecoder.Decode(jpeg, maxPixels: 62_500).Width);
        Assert.Throws<ImageTooLargeException>(() => ImageDecoder.Decode(jpeg, maxPixels: 62_499));
    }

    [Fact]
    public void DecodeFile_Missing_ThrowsFileNotFoundWithThePath()
    {
        var error = Assert.Throws<FileNotFoundException>(() => ImageDecoder.DecodeFile("no-such-picture.png"));

        Assert.Contains("no-such-picture.png", error.Message);
    }

    [Theory]
    [InlineData(SKEncodedOrigin.TopLeft, 3, 2, new float[] { 1, 2, 3, 4, 5, 6 })]
    [InlineData(SKEncodedOrigin.RightTop, 2, 3, new float[] { 4, 1, 5, 2, 6, 3 })]
    [InlineData(SKEncodedOrigin.LeftBottom, 2, 3, new float[] { 3, 6, 2, 5, 1, 4 })]
    [InlineData(SKEncodedOrigin.BottomRight, 3, 2, new float[] { 6, 5, 4, 3, 2, 1 })]
    [InlineData(SKEncodedOrigin.TopRight, 3, 2, new float[] { 3, 2, 1, 6, 5, 4 })]
    [InlineData(SKEncodedOrigin.LeftTop, 2, 3, new float[] { 1, 4, 2, 5, 3, 6 })]
    public void Orient_ExifOrigin_TurnsThePictureUpright(SKEncodedOrigin origin, int width, int height, float[] expected)
    {
        // Stored 3x2:  1 2 3 / 4 5 6. RightTop is a phone held upright: the stored rows become columns, read right to left.
        var stored = new GreyImage(3, 2, [1, 2, 3, 4, 5, 6]);

        GreyImage upright = ImageDecoder.Orient(stored, origin);

        Assert.Equal((width, height), (upright.Width, upright.Height));
        Assert.Equal(expected, upright.Pixels);
    }
}
