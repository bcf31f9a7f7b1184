using System.IO.Compression;
using System.Text.Json.Nodes;
using Digits.Core.Inference;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Digits.Core.Preprocessing;
using Digits.Core.Tests.Support;
using Digits.Core.Training;
using Digits.Tests.Support;
using static TorchSharp.torch;

namespace Digits.Core.Tests.Persistence;

[Collection(TorchTests.Name)]
public sealed class ModelFileTests : IDisposable
{
    private readonly TempDirectory _dir = new TempDirectory();

    public void Dispose() => _dir.Dispose();

    private string SaveFresh(string model, string name = "model.digits")
    {
        string path = _dir.File(name);
        using TrainingSession session = TrainingSession.Start(ModelRegistry.Get(model), new TrainingOptions(), CPU);
        session.Save(path, new Dictionary<string, double> { ["test_accuracy"] = 0.5 });
        return path;
    }

    [Theory]
    [InlineData("lenet")]
    [InlineData("cnn-bn")]
    public void SaveThenLoad_GivesIdenticalOutputs(string model)
    {
        string path = _dir.File("m.digits");
        using Tensor input = rand(4, 1, 28, 28);
        using TrainingSession session = TrainingSession.Start(ModelRegistry.Get(model), new TrainingOptions(), CPU);
        session.Network.eval();
        using Tensor expected = session.Network.call(input);
        session.Save(path);

        using DigitsNetwork loaded = ModelFile.Load(path).CreateNetwork();
        loaded.eval();
        using Tensor actual = loaded.call(input);

        Assert.True(expected.equal(actual).all().ToBoolean());
    }

    [Fact]
    public void Load_RebuildsTheArchitectureAndNormalisationFromTheFileAlone()
    {
        SavedModel saved = ModelFile.Load(SaveFresh("lenet"));

        Assert.Equal("lenet", saved.Manifest.Model);
        Assert.Equal(Normalization.Mnist, saved.Manifest.Normalization);
        Assert.Equal(ModelRegistry.Get("lenet").Network.ToJson(), saved.Manifest.Network.ToJson());
        Assert.Equal(0.5, saved.Manifest.Metrics["test_accuracy"]);
        Assert.Contains("torchsharp", saved.Manifest.Versions.Keys);
    }

    [Fact]
    public void Save_LeavesNoTemporaryFileAndReplacesTheOldOne()
    {
        string path = SaveFresh("mlp");
        SaveFresh("lenet");

        Assert.Equal("lenet", ModelFile.Load(path).Manifest.Model);
        Assert.Single(Directory.GetFiles(_dir.Path));
    }

    [Fact]
    public void Load_FileThatIsNotAModel_SaysSo()
    {
        string path = _dir.File("photo.digits");
        File.WriteAllBytes(path, [0x89, 0x50, 0x4E, 0x47, 1, 2, 3, 4, 5, 6, 7, 8]);

        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path));

        Assert.Contains("not a Digits model file", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Load_TruncatedFile_SaysNotAModelOrTruncated()
    {
        string path = SaveFresh("lenet");
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length * 2 / 3).ToArray());

        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path));

        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Load_WeightsOfAnotherArchitecture_SaysTheyDoNotMatch()
    {
        string path = SaveFresh("lenet");
        RewriteManifest(path, manifest => manifest.Replace(
            ModelRegistry.Get("lenet").Network.ToJson().ReplaceLineEndings("\n  "),
            ModelRegistry.Get("mlp").Network.ToJson().ReplaceLineEndings("\n  "),
            StringComparison.Ordinal));

        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path).CreateNetwork());

        Assert.Contains("do not match the 'lenet' architecture", e.Message);
    }

    private static void RewriteManifest(string path, Func<string, string> change)
    {
        using ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Update);
        ZipArchiveEntry entry = zip.GetEntry("manifest.json")!;
        string manifest;
        using (var reader = new StreamReader(entry.Open()))
        {
            manifest = reader.ReadToEnd();
        }
        string changed = change(manifest);
        Assert.NotEqual(manifest, changed);
        entry.Delete();
        using var writer = new StreamWriter(zip.CreateEntry("manifest.json").Open());
        writer.Write(changed);
    }

    [Theory]
    [InlineData("network", """{}""", "layers")]
    [InlineData("network", """{"layers": [{"filters": 3}]}""", "$.network.layers[0] has no \"type\"")]
    [InlineData("checksums", "null", "checksums")]
    [InlineData("recipe", "null", "recipe")]
    [InlineData("metrics", "null", "metrics")]
    [InlineData("normalization", """{"mean": 0.1307, "std": 0}""", "std")]
    [InlineData("normalization", """{"mean": "NaN", "std": 0.3081}""", "mean")]
    [InlineData("calibration", """{"temperature": 0, "threshold": 0.8, "errorBefore": 0, "errorAfter": 0}""", "temperature")]
    [InlineData("calibration", """{"temperature": 1, "threshold": "Infinity", "errorBefore": 0, "errorAfter": 0}""", "threshold")]
    public void Load_ManifestEditedToNonsense_IsRefusedNamingTheField(string field, string value, string saying)
    {
        // Regression (found by ModelFileFuzzTests): these loaded, then failed later with a NullReferenceException or a
        // NotSupportedException, or answered NaN probabilities (a zero std or temperature divides by zero).
        string path = SaveFresh("lenet");
        EditManifest(path, manifest => manifest[field] = JsonNode.Parse(value));

        var e = Assert.Throws<InvalidDataException>(() => LoadAndAnswer(path));

        Assert.Contains(saying, e.Message);
        Assert.Contains(path, e.Message);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""["zero", "one"]""")]
    public void Load_ClassNamesNotOnePerClass_IsRefused(string names)
    {
        // Regression (found by a soak of ModelFileFuzzTests): an empty list loaded, then the first answer indexed past it.
        string path = SaveFresh("lenet");
        EditManifest(path, manifest => manifest["network"]!["classNames"] = JsonNode.Parse(names));

        var e = Assert.Throws<InvalidDataException>(() => LoadAndAnswer(path));

        Assert.Contains("classes for a network of 10", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Load_TwoEntriesOfTheSameName_SaysTheFileIsDamaged()
    {
        // Regression (found by ModelFileFuzzTests): reading the entries into a dictionary threw ArgumentException.
        string path = SaveFresh("lenet");
        using (ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            using Stream extra = zip.CreateEntry("weights.bin").Open();
            extra.Write([1, 2, 3]);
        }

        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path));

        Assert.Contains("two entries named 'weights.bin'", e.Message);
    }

    [Fact]
    public void Load_WeightsHoldingNaN_WithAChecksumThatMatches_IsRefused()
    {
        // Regression (found by ModelFileFuzzTests): eight bytes of weights.bin overwritten (one float became NaN) and
        // the checksum updated; every answer was ten NaN probabilities.
        string path = SaveFresh("lenet");
        byte[] weights;
        using (DigitsNetwork network = ModelFile.Load(path).CreateNetwork())
        using (var stream = new MemoryStream())
        {
            using (no_grad())
            {
                network.parameters().First().view(-1)[0] = float.NaN;
            }
            using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
            {
                network.save(writer);
            }
            weights = stream.ToArray();
        }
        using (ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            zip.GetEntry("weights.bin")!.Delete();
            using Stream write = zip.CreateEntry("weights.bin").Open();
            write.Write(weights);
        }
        EditManifest(path, manifest => manifest["checksums"]!["weights.bin"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(weights)));

        var e = Assert.Throws<InvalidDataException>(() => LoadAndAnswer(path));

        Assert.Contains("NaN or infinity", e.Message);
        Assert.Contains("layers.conv2d_1.weight", e.Message);
    }

    [Fact]
    public void Resume_OptimizerStateDamaged_WithAChecksumThatMatches_SaysItDoesNotFit()
    {
        // Regression (found by ModelFileFuzzTests): 23 bytes of optimizer.bin written twice, the checksum updated; libtorch
        // was asked for a tensor of a type id that does not exist and its ExternalException escaped.
        string path = SaveFresh("lenet");
        byte[] state;
        using (ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            ZipArchiveEntry entry = zip.GetEntry("optimizer.bin")!;
            using (Stream s = entry.Open())
            using (var copy = new MemoryStream())
            {
                s.CopyTo(copy);
                byte[] original = copy.ToArray();
                state = [.. original.AsSpan(0, 24), .. original.AsSpan(1)];
            }
            entry.Delete();
            using Stream write = zip.CreateEntry("optimizer.bin").Open();
            write.Write(state);
        }
        EditManifest(path, manifest => manifest["checksums"]!["optimizer.bin"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(state)));
        SavedModel saved = ModelFile.Load(path);

        var e = Assert.Throws<InvalidDataException>(() => TrainingSession.Resume(saved, new TrainingOptions(), CPU).Dispose());

        Assert.Contains("optimizer state", e.Message);
    }

    [Fact]
    public void Load_EntryDeclaringMoreThanAModelHolds_IsRefusedBeforeItIsUnpacked()
    {
        // Regression (hardening, from the model-file fuzzing): entries were unpacked whole with no limit, so 2 MB of zip
        // holding 2 GB of zeros ran the reader out of room ("Stream was too long", an IOException) after allocating gigabytes.
        string path = SaveFresh("lenet");
        using (ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            using Stream extra = zip.CreateEntry("zeros.bin", CompressionLevel.NoCompression).Open();
            extra.Write(new byte[16]);
        }
        byte[] bytes = File.ReadAllBytes(path);
        // The last entry's sizes as its local header and the central directory declare them: 1 GiB unpacked.
        int local = bytes.AsSpan().LastIndexOf((ReadOnlySpan<byte>)[0x50, 0x4B, 0x03, 0x04]);
        int central = bytes.AsSpan().LastIndexOf((ReadOnlySpan<byte>)[0x50, 0x4B, 0x01, 0x02]);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(local + 22), 1 << 30);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(central + 24), 1 << 30);
        File.WriteAllBytes(path, bytes);

        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path));

        Assert.Contains("'zeros.bin' unpacks to 1,073,741,824 bytes, more than", e.Message);
    }

    /// <summary>Loads a model file and answers once, as <c>predict</c> does.</summary>
    private static void LoadAndAnswer(string path)
    {
        using Predictor predictor = Predictor.From(ModelFile.Load(path));
        predictor.Predict(new PreparedPicture(new float[784], InkProblem.None, null));
    }

    /// <summary>Changes the manifest of a model file as JSON, leaving its checksums as they were.</summary>
    private static void EditManifest(string path, Action<JsonObject> change) =>
        RewriteManifest(path, text =>
        {
            JsonObject manifest = JsonNode.Parse(text)!.AsObject();
            change(manifest);
            return manifest.ToJsonString();
        });

    [Fact]
    public void Load_DamagedWeights_FailsTheChecksum()
    {
        string path = SaveFresh("mlp");
        using (ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            ZipArchiveEntry weights = zip.GetEntry("weights.bin")!;
            byte[] bytes;
            using (Stream s = weights.Open())
            using (var copy = new MemoryStream())
            {
                s.CopyTo(copy);
                bytes = copy.ToArray();
            }
            bytes[^5] ^= 0xFF;
            weights.Delete();
            using Stream write = zip.CreateEntry("weights.bin").Open();
            write.Write(bytes);
        }

        var e = Assert.Throws<InvalidDataException>(() => ModelFile.Load(path));

        Assert.Contains("damaged", e.Message);
    }

    [Fact]
    public void Load_MissingFile_SaysHowToMakeOne()
    {
        var e = Assert.Throws<FileNotFoundException>(() => ModelFile.Load(_dir.File("none.digits")));

        Assert.Contains("digits train", e.Message);
    }
}
