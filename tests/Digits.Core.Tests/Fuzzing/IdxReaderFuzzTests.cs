using System.Buffers.Binary;
using System.IO.Compression;
using CsCheck;
using Digits.Core.Data;
using Digits.Core.Tests.Support;
using Digits.Tests.Support;

namespace Digits.Core.Tests.Fuzzing;

/// <summary>
/// The IDX reader and <see cref="MnistDataset.Load"/> fed generated MNIST files and damaged ones: flipped bytes,
/// truncation, wrong magic numbers, absurd counts and sizes, labels over 9, broken gzip. The rule: a dataset that
/// agrees with the files, or an <see cref="InvalidDataException"/> saying what is wrong.
/// </summary>
public sealed class IdxReaderFuzzTests : IDisposable
{
    private const int Side = IdxReader.ImageSide;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>An image count and label count agreeing, with random pixels (from a seed) and labels 0-9.</summary>
    private static readonly Gen<(FuzzBytes Images, FuzzBytes Labels)> s_sets = Gen.Int[0, 12].SelectMany(count =>
        Gen.Select(Gen.Int, Gen.Byte[0, 9].Array[count]).Select((seed, labels) =>
        {
            var pixels = new byte[count * Side * Side];
            new Random(seed).NextBytes(pixels);
            return (new FuzzBytes($"{count} images, pixel seed {seed}", IdxFiles.Images(count, pixel: i => pixels[i])),
                new FuzzBytes($"{count} labels", IdxFiles.Labels(labels)));
        }));

    /// <summary>The limits a caller may pass to <see cref="MnistDataset.Load"/>, absurd ones included.</summary>
    private static readonly Gen<int?> s_limits = Gen.OneOf<int?>(null, null, 0, -5, 1, 3, 100, int.MaxValue, int.MinValue);

    [Fact]
    public void Load_GeneratedFiles_RawOrGzip_ReadsExactlyWhatTheyHold()
    {
        Gen.Select(s_sets, Gen.Bool, Gen.Bool, s_limits).Sample((set, gzipImages, gzipLabels, limit) =>
        {
            Write(set.Images.Bytes, MnistFiles.TestImages, gzipImages);
            Write(set.Labels.Bytes, MnistFiles.TestLabels, gzipLabels);

            using MnistDataset data = MnistDataset.Load(_dir.Path, MnistSplit.Test, limit);

            int count = (set.Images.Bytes.Length - 16) / (Side * Side);
            int kept = limit is null ? count : Math.Min(count, Math.Max(1, limit.Value));
            Assert.Equal(kept, data.Count);
            Assert.Equal(new long[] { kept, 1, Side, Side }, data.Images.shape);
            if (kept > 0)
            {
                // (TorchSharp's data<T>().ToArray() throws on an empty tensor, so only non-empty sets are compared.)
                byte[] expected = set.Images.Bytes[16..(16 + (kept * Side * Side))];
                Assert.Equal(expected.Select(p => p / 255f), data.Images.data<float>().ToArray());
                Assert.Equal(set.Labels.Bytes[8..(8 + kept)].Select(l => (long)l), data.Labels.data<long>().ToArray());
            }
        }, iter: FuzzRun.Iterations(150), seed: FuzzRun.Seed("0N0XlIdxRead"), threads: 1, print: Print);
    }

    [Fact]
    public void Load_DamagedFiles_GivesAConsistentDatasetOrInvalidData()
    {
        Gen<(FuzzBytes Images, FuzzBytes Labels, int?)> cases = s_sets.SelectMany(set => Gen.Select(
            Gen.Frequency((3, Damaged(set.Images, images: true)), (1, Gen.Const(set.Images))),
            Gen.Frequency((3, Damaged(set.Labels, images: false)), (1, Gen.Const(set.Labels))),
            s_limits));
        cases.Sample((images, labels, limit) =>
        {
            WriteAsIs(images.Bytes, MnistFiles.TestImages);
            WriteAsIs(labels.Bytes, MnistFiles.TestLabels);

            MnistDataset? data = null;
            FuzzRun.Outcome(() => data = MnistDataset.Load(_dir.Path, MnistSplit.Test, limit), typeof(InvalidDataException));
            using (data)
            {
                if (data is not null)
                {
                    AssertConsistent(data);
                }
            }
            // The readers on their own, as `digits data verify` and the downloader use them.
            FuzzRun.Outcome(() => AssertPixels(IdxReader.ReadImages(Path(MnistFiles.TestImages, images.Bytes), out int count), count), typeof(InvalidDataException));
            FuzzRun.Outcome(() => Assert.All(IdxReader.ReadLabels(Path(MnistFiles.TestLabels, labels.Bytes)), l => Assert.InRange(l, 0, 9)), typeof(InvalidDataException));
        }, iter: FuzzRun.Iterations(400), seed: FuzzRun.Seed("0N0XlIdxDmgd"), threads: 1, print: Print);
    }

    [Fact]
    public void FromBytes_AnyLengths_BuildsTheDatasetOrRefusesWithArgumentException()
    {
        Gen.Select(Gen.Int[0, 5 * Side * Side], Gen.Int[0, 6], Gen.Bool).Sample((pixels, labels, whole) =>
        {
            // Half the cases hold whole images, so both the fitting and the misfitting lengths are common.
            int length = whole ? labels * Side * Side : pixels;
            MnistDataset? data = null;
            FuzzRun.Outcome(() => data = MnistDataset.FromBytes(new byte[length], new byte[labels]), typeof(ArgumentException));
            using (data)
            {
                if (data is not null)
                {
                    Assert.Equal(labels * Side * Side, length);
                    Assert.Equal(labels, data.Count);
                }
            }
        }, iter: FuzzRun.Iterations(150), seed: FuzzRun.Seed("0N0XlIdxFrom"), threads: 1);
    }

    /// <summary>
    /// A damaged file: generic mutations, a header field set to an absurd number, a wrong magic number, another image
    /// size with data to match, labels over 9; any of them gzip-compressed, and the gzip itself maybe broken.
    /// </summary>
    private static Gen<FuzzBytes> Damaged(FuzzBytes file, bool images)
    {
        int[] fields = images ? [0, 4, 8, 12] : [0, 4];
        Gen<FuzzBytes> header = Gen.Select(Gen.OneOf(fields), Mutations.AbsurdInt).Select((offset, value) =>
            file.Then($"header int at {offset} set to {value}", WithInt(file.Bytes, offset, value)));
        Gen<FuzzBytes> magic = Gen.OneOf(0x801, 0x803, 0x802, 0x804, 0xC03, 0xD03, 0x0803_0000, 0x1F8B_0800).Select(value =>
            file.Then($"magic 0x{value:X8}", WithInt(file.Bytes, 0, value)));
        Gen<FuzzBytes> size = Gen.Select(Gen.Int[0, 40], Gen.Int[0, 40], Gen.Int[0, 3]).Select((rows, cols, count) =>
            new FuzzBytes($"{count} images of {rows}x{cols}", IdxFiles.Images(count, rows, cols)));
        Gen<FuzzBytes> bigLabels = file.Bytes.Length <= 8
            ? Gen.Const(file)
            : Gen.Select(Gen.Int[8, file.Bytes.Length - 1], Gen.Byte[10, 255]).Select((at, label) =>
            {
                byte[] bytes = (byte[])file.Bytes.Clone();
                bytes[at] = label;
                return file.Then($"label {label} at byte {at}", bytes);
            });
        var kinds = new List<(int, IGen<FuzzBytes>)>
        {
            (4, Mutations.Any(file)),
            (3, header),
            (1, magic),
            (images ? 1 : 2, images ? size : bigLabels),
            (1, Mutations.RandomAfter(64, ("gzip signature", [0x1F, 0x8B]), ("images magic", [0, 0, 8, 3]), ("labels magic", [0, 0, 8, 1]))),
        };
        Gen<FuzzBytes> damaged = Gen.Frequency([.. kinds]);
        return damaged.SelectMany(bytes => Gen.Frequency(
            (2, Gen.Const(bytes)),
            (1, Gen.Const(bytes.Then("gzip", IdxFiles.Gzip(bytes.Bytes)))),
            (2, BrokenGzip(bytes))));
    }

    /// <summary>Gzip broken as downloads break it: damaged anywhere, cut short, a bad checksum or size, garbage after it, two members.</summary>
    private static Gen<FuzzBytes> BrokenGzip(FuzzBytes content)
    {
        var gzip = new FuzzBytes($"{content.How}; gzip", IdxFiles.Gzip(content.Bytes));
        byte[] g = gzip.Bytes;
        if (g.Length < 10)
        {
            // .NET writes nothing at all for empty content.
            return Gen.Const(gzip);
        }
        return Gen.Frequency(
            (3, Mutations.Any(gzip)),
            (1, Gen.Int[0, 7].Select(i => gzip.Then($"trailer byte {i} flipped", Flipped(g, g.Length - 8 + i)))),
            (1, Gen.OneOf<byte>(0x02, 0x04, 0x08, 0x10, 0xE0, 0xFF).Select(flags => gzip.Then($"header flags 0x{flags:X2}", With(g, 3, flags)))),
            (1, Gen.OneOf<byte>(0, 7, 9, 255).Select(method => gzip.Then($"compression method {method}", With(g, 2, method)))),
            (1, Gen.Byte.Array[1, 32].Select(garbage => gzip.Then("garbage after the member", [.. g, .. garbage]))),
            (1, Gen.Const(gzip.Then("two members", [.. g, .. g]))),
            (1, Gen.Int[0, Math.Min(20, g.Length - 1)].Select(kept => gzip.Then($"cut to {kept} bytes", g[..kept]))));
    }

    private static byte[] WithInt(byte[] bytes, int offset, int value)
    {
        byte[] copy = (byte[])bytes.Clone();
        if (copy.Length >= offset + 4)
        {
            BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(offset), value);
        }
        return copy;
    }

    private static byte[] With(byte[] bytes, int offset, byte value)
    {
        byte[] copy = (byte[])bytes.Clone();
        copy[offset] = value;
        return copy;
    }

    private static byte[] Flipped(byte[] bytes, int offset) => With(bytes, offset, (byte)~bytes[offset]);

    private static void AssertConsistent(MnistDataset data)
    {
        Assert.Equal(4, data.Images.dim());
        Assert.Equal(new long[] { 1, Side, Side }, data.Images.shape[1..]);
        Assert.Equal(data.Count, (int)data.Images.shape[0]);
        if (data.Count > 0)
        {
            Assert.All(data.Images.data<float>().ToArray(), p => Assert.InRange(p, 0f, 1f));
            Assert.All(data.Labels.data<long>().ToArray(), l => Assert.InRange(l, 0, 9));
        }
    }

    private static void AssertPixels(byte[] pixels, int count)
    {
        Assert.True(count >= 0, $"count {count}");
        Assert.Equal((long)count * Side * Side, pixels.LongLength);
    }

    /// <summary>Writes a file under its MNIST name, raw or as its .gz, removing the other so that the reader finds this one.</summary>
    private void Write(byte[] content, MnistFile file, bool gzip)
    {
        File.Delete(_dir.File(gzip ? file.Name : file.GzipName));
        File.WriteAllBytes(_dir.File(gzip ? file.GzipName : file.Name), gzip ? IdxFiles.Gzip(content) : content);
    }

    /// <summary>Writes bytes that may or may not be gzip under the raw name: the reader tells gzip by its signature.</summary>
    private void WriteAsIs(byte[] bytes, MnistFile file)
    {
        File.Delete(_dir.File(file.GzipName));
        File.WriteAllBytes(_dir.File(file.Name), bytes);
    }

    private string Path(MnistFile file, byte[] bytes)
    {
        string path = _dir.File("alone-" + file.Name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static string Print((FuzzBytes Images, FuzzBytes Labels, int? Limit) c) => $"images: {c.Images}, labels: {c.Labels}, limit {c.Limit}";

    private static string Print(((FuzzBytes Images, FuzzBytes Labels) Set, bool GzipImages, bool GzipLabels, int? Limit) c) =>
        $"images: {c.Set.Images} (gzip {c.GzipImages}), labels: {c.Set.Labels} (gzip {c.GzipLabels}), limit {c.Limit}";
}
