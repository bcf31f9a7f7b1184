using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Digits.Core.Inference;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Digits.Core.Preprocessing;
using Digits.Core.Tests.Support;
using Digits.Core.Training;
using Digits.Tests.Support;
using static TorchSharp.torch;

namespace Digits.Core.Tests.Fuzzing;

/// <summary>
/// <see cref="ModelFile.Load"/>, and what <c>predict</c> and <c>serve</c> do with what it returns (rebuild the network,
/// prepare a <see cref="Predictor"/>, answer), fed a real saved file (nothing trained) and damaged copies: flipped
/// bytes, truncation, a manifest edited to wrong types, missing fields, huge numbers or deep nesting, weights and
/// optimizer state damaged with checksums that match, extra and doubled entries. The rule: a model that answers with
/// probabilities, or an <see cref="InvalidDataException"/> saying what is wrong with the file.
/// </summary>
[Collection(TorchTests.Name)]
public sealed class ModelFileFuzzTests(ModelFileFuzzTests.SavedFile saved) : IClassFixture<ModelFileFuzzTests.SavedFile>, IDisposable
{
    private const string Manifest = "manifest.json";

    /// <summary>A <c>lenet</c> file as <c>digits train</c> writes it before the first epoch, and its entries.</summary>
    public sealed class SavedFile : IDisposable
    {
        private readonly TempDirectory _dir = new();

        public SavedFile()
        {
            string path = _dir.File("lenet.digits");
            using (TrainingSession session = TrainingSession.Start(ModelRegistry.Get("lenet"), new TrainingOptions(), CPU))
            {
                session.Save(path, new Dictionary<string, double> { [ModelManifest.TestAccuracy] = 0.5 });
            }
            Bytes = File.ReadAllBytes(path);
            using ZipArchive zip = ZipFile.OpenRead(path);
            Entries = [.. zip.Entries.Select(e => (e.FullName, Read(e)))];
        }

        /// <summary>The whole file.</summary>
        public byte[] Bytes { get; }

        /// <summary>Its entries in order, the manifest first.</summary>
        public IReadOnlyList<(string Name, byte[] Content)> Entries { get; }

        public void Dispose() => _dir.Dispose();

        private static byte[] Read(ZipArchiveEntry entry)
        {
            using Stream stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }
    }

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string ManifestText => Encoding.UTF8.GetString(saved.Entries.Single(e => e.Name == Manifest).Content);

    [Fact]
    public void Load_TheSavedFile_AnswersLikeTheNetworkItDescribes()
    {
        string path = _dir.File("whole.digits");
        File.WriteAllBytes(path, saved.Bytes);

        AssertAnswers(path);
    }

    [Fact]
    public void Load_DamagedModelFiles_AnswersOrRefusesWithInvalidData()
    {
        var whole = new FuzzBytes("the saved file", saved.Bytes);
        var manifest = new FuzzJson("manifest", ManifestText);
        string[] binaries = [.. saved.Entries.Select(e => e.Name).Where(n => n != Manifest)];
        Gen<FuzzBytes> files = Gen.Frequency(
            (3, Mutations.Any(whole)),
            (4, JsonMutations.Any(manifest).Select(edited => Rezipped(edited.How, edited.Json))),
            (1, NetworkSpecFuzzTests.LayerList.Select(list => Rezipped($"manifest network = {list}", WithNetwork(list.Json)))),
            (2, Gen.OneOf(binaries).SelectMany(entry =>
                Mutations.Any(new FuzzBytes(entry, Content(entry))).Select(damaged => DamagedWithMatchingChecksum(entry, damaged)))),
            (1, Gen.Select(Gen.OneOf("extra.bin", "weights.bin", Manifest, "optimizer.bin", "../outside.bin", "folder/", " ", "latest-weights.bin"), Gen.Byte.Array[0, 64], Gen.Bool)
                .Select((name, content, checksum) => WithExtraEntry(name, content, checksum))),
            (1, Mutations.RandomAfter(256, ("zip signature", [0x50, 0x4B, 0x03, 0x04]), ("empty zip", [0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]))));
        files.Sample(file =>
        {
            string path = _dir.File("fuzz.digits");
            File.WriteAllBytes(path, file.Bytes);
            FuzzRun.Outcome(() => AssertAnswers(path), typeof(InvalidDataException));
        }, iter: FuzzRun.Iterations(250), seed: FuzzRun.Seed("0N0XlModelFl"), threads: 1);
    }

    [Fact]
    public void Resume_LatestWeightsThatAreNotWeights_IsRefusedAsInvalidData()
    {
        // Found by the fuzzing (seed dYInJqSyX9d1): 56 bytes of latest weights, listed in the checksums, ended resuming
        // with the reader's EndOfStreamException.
        string path = _dir.File("latest.digits");
        File.WriteAllBytes(path, WithExtraEntry("latest-weights.bin", [.. Enumerable.Range(0, 56).Select(i => (byte)(i * 37))], checksum: true).Bytes);
        SavedModel model = ModelFile.Load(path);

        var error = Assert.Throws<InvalidDataException>(() => TrainingSession.Resume(model, new TrainingOptions(), CPU).Dispose());
        Assert.Contains("The latest weights in", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AWeightFarBeyondAnyTrainedNetworks_IsRefusedAsInvalidData()
    {
        // Found by the fuzzing (seed ds8fP7e8kRX1): flipped bits gave finite weights so large that every answer was NaN.
        byte[] weights = [.. Content("weights.bin")];
        BitConverter.GetBytes(3e30f).CopyTo(weights, weights.Length - 4);
        string path = _dir.File("huge.digits");
        File.WriteAllBytes(path, DamagedWithMatchingChecksum("weights.bin", new FuzzBytes("the last bias 3e30", weights)).Bytes);

        var error = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path).CreateNetwork().Dispose());
        Assert.Contains("far beyond any trained network's", error.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Loads the file as <c>predict</c> and <c>serve</c> do and asks for one answer, which must be ten probabilities
    /// summing to 1; then resumes its training as <c>digits train --resume</c> does.
    /// </summary>
    private static void AssertAnswers(string path)
    {
        SavedModel model = ModelFile.Load(path);
        Assert.NotNull(model.Definition);
        using (DigitsNetwork network = model.CreateNetwork())
        {
            Assert.NotEmpty(network.Layers);
        }
        using Predictor predictor = Predictor.From(model);
        Prediction answer = predictor.Predict(new PreparedPicture(new float[MnistGeometry.Size * MnistGeometry.Size], InkProblem.None, null));
        Assert.Equal(10, answer.Probabilities.Length);
        Assert.All(answer.Probabilities, p => Assert.InRange(p, 0f, 1f));
        Assert.InRange(answer.Probabilities.Sum(), 0.999f, 1.001f);
        Assert.InRange(answer.Digit, 0, 9);
        // And as `digits train --resume` does: its documented refusals are these two.
        FuzzRun.Outcome(() => TrainingSession.Resume(model, new TrainingOptions(), CPU).Dispose(), typeof(InvalidDataException), typeof(ArgumentException));
    }

    private byte[] Content(string entry) => saved.Entries.Single(e => e.Name == entry).Content;

    /// <summary>The saved file with its manifest replaced by <paramref name="manifest"/> (its checksums still those of the binaries).</summary>
    private FuzzBytes Rezipped(string how, string manifest) =>
        new(how, Zip([(Manifest, Encoding.UTF8.GetBytes(manifest)), .. saved.Entries.Where(e => e.Name != Manifest)]));

    private string WithNetwork(string layerList)
    {
        JsonNode root = JsonNode.Parse(ManifestText)!;
        root["network"] = JsonNode.Parse(layerList);
        return root.ToJsonString();
    }

    /// <summary>The saved file with one binary entry damaged and the manifest's checksum changed to match, so only the entry's reader can tell.</summary>
    private FuzzBytes DamagedWithMatchingChecksum(string entry, FuzzBytes damaged)
    {
        JsonNode root = JsonNode.Parse(ManifestText)!;
        root["checksums"]![entry] = Sha256(damaged.Bytes);
        byte[] zip = Zip([.. saved.Entries.Select(e => e.Name == Manifest
            ? (e.Name, Encoding.UTF8.GetBytes(root.ToJsonString()))
            : e.Name == entry ? (e.Name, damaged.Bytes) : e)]);
        return new FuzzBytes($"{damaged}, checksum updated", zip);
    }

    /// <summary>The saved file with one more entry, under a new name or one it already has, listed in the manifest's checksums or not.</summary>
    private FuzzBytes WithExtraEntry(string name, byte[] content, bool checksum)
    {
        JsonNode root = JsonNode.Parse(ManifestText)!;
        if (checksum && name != Manifest)
        {
            root["checksums"]![name] = Sha256(content);
        }
        byte[] zip = Zip([.. saved.Entries.Select(e => e.Name == Manifest ? (e.Name, Encoding.UTF8.GetBytes(root.ToJsonString())) : e), (name, content)]);
        return new FuzzBytes($"extra entry '{name}' of {content.Length} bytes{(checksum ? ", in the checksums" : "")}", zip);
    }

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>A zip of the entries in order, duplicates included, the manifest compressed and the rest stored, as the writer does.</summary>
    private static byte[] Zip(IEnumerable<(string Name, byte[] Content)> entries)
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach ((string name, byte[] content) in entries)
            {
                using Stream stream = zip.CreateEntry(name, name == Manifest ? CompressionLevel.Optimal : CompressionLevel.NoCompression).Open();
                stream.Write(content);
            }
        }
        return output.ToArray();
    }
}
