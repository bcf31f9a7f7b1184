using System.IO.Compression;
using Digits.Core.Models;
using Digits.Core.Persistence;
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
