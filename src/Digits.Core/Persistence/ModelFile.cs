using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Digits.Core.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Digits.Core.Persistence;

/// <summary>
/// Reads and writes <c>.digits</c> model files: a zip archive holding <c>manifest.json</c>, the inference
/// weights (the best epoch's), and for resuming the latest weights and the optimiser state.
/// Files are written to a temporary file first, flushed, then renamed, so a crash never leaves half a model.
/// </summary>
public static class ModelFile
{
    /// <summary>The usual file extension.</summary>
    public const string Extension = ".digits";

    private const string ManifestEntry = "manifest.json";
    internal const string WeightsEntry = "weights.bin";
    private const string LatestWeightsEntry = "latest-weights.bin";
    private const string OptimizerEntry = "optimizer.bin";

    /// <summary>Saves a model; <paramref name="metrics"/> adds measured figures such as test accuracy.</summary>
    public static void Save(string path, ModelSnapshot snapshot, IReadOnlyDictionary<string, double>? metrics = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(snapshot);
        var binaries = new Dictionary<string, byte[]> { [WeightsEntry] = Serialize(snapshot.InferenceWeights), [OptimizerEntry] = SerializeOptimizer(snapshot.Optimizer) };
        if (snapshot.LatestWeights is not null)
        {
            binaries[LatestWeightsEntry] = Serialize(snapshot.LatestWeights);
        }
        var manifest = new ModelManifest
        {
            Model = snapshot.Definition.Name,
            Description = snapshot.Definition.Description,
            Network = snapshot.Definition.Network,
            Normalization = snapshot.Definition.Normalization,
            Recipe = snapshot.Recipe,
            Training = snapshot.Training,
            Calibration = snapshot.Calibration,
            Metrics = metrics is null ? [] : new Dictionary<string, double>(metrics),
            Versions = Versions(),
            CreatedAt = DateTimeOffset.UtcNow,
            Checksums = binaries.ToDictionary(kv => kv.Key, kv => Sha256(kv.Value)),
        };
        Write(path, manifest, binaries);
    }

    /// <summary>Reads a model file and checks it.</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a Digits model, truncated or damaged.</exception>
    public static SavedModel Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model file '{Path.GetFullPath(path)}' not found; train one with 'digits train --out {path}'.", path);
        }
        Dictionary<string, byte[]> entries;
        try
        {
            using ZipArchive zip = ZipFile.OpenRead(path);
            entries = zip.Entries.ToDictionary(e => e.FullName, ReadEntry);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"'{path}' is not a Digits model file, or it is truncated ({e.Message}).", e);
        }
        if (!entries.TryGetValue(ManifestEntry, out byte[]? manifestBytes) || !entries.TryGetValue(WeightsEntry, out byte[]? weights))
        {
            throw new InvalidDataException($"'{path}' is not a Digits model file: it lacks {ManifestEntry} or {WeightsEntry}.");
        }
        ModelManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ModelManifest>(manifestBytes, NetworkSpec.JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' has an unreadable manifest: {e.Message}", e);
        }
        if (manifest is null || manifest.Format != ModelManifest.FormatName)
        {
            throw new InvalidDataException($"'{path}' is not a Digits model file: its manifest format is '{manifest?.Format}', expected '{ModelManifest.FormatName}'.");
        }
        foreach ((string entry, byte[] content) in entries.Where(e => e.Key != ManifestEntry))
        {
            string hash = Sha256(content);
            if (!manifest.Checksums.TryGetValue(entry, out string? expected) || hash != expected)
            {
                throw new InvalidDataException($"'{path}' is damaged: its {entry} has SHA-256 {hash}, the manifest says {expected ?? "nothing"}.");
            }
        }
        return new SavedModel(path, manifest, weights, entries.GetValueOrDefault(LatestWeightsEntry), entries.GetValueOrDefault(OptimizerEntry));
    }

    /// <summary>Builds a network from <paramref name="definition"/> on the CPU and loads <paramref name="weights"/> into it.</summary>
    /// <exception cref="InvalidDataException">The weights do not fit the network.</exception>
    internal static DigitsNetwork CreateNetwork(ModelDefinition definition, byte[] weights, string source)
    {
        var network = new DigitsNetwork(definition);
        try
        {
            LoadWeights(network, weights);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or EndOfStreamException or IOException)
        {
            network.Dispose();
            throw new InvalidDataException(
                $"The weights in '{source}' do not match the '{definition.Name}' architecture it describes ({e.Message}).", e);
        }
        return network;
    }

    internal static void LoadWeights(DigitsNetwork network, byte[] weights)
    {
        using var reader = new BinaryReader(new MemoryStream(weights));
        network.load(reader, strict: true);
    }

    internal static void LoadOptimizer(optim.Optimizer optimizer, byte[] state, string source)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(state));
            ((OptimizerHelper)optimizer).load_state_dict(reader);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or EndOfStreamException or IOException)
        {
            throw new InvalidDataException($"The optimizer state in '{source}' does not fit the run ({e.Message}).", e);
        }
    }

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    private static byte[] Serialize(IReadOnlyDictionary<string, Tensor> weights)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            nn.Module.save_state_dict(writer, new Dictionary<string, Tensor>(weights));
        }
        return stream.ToArray();
    }

    private static byte[] SerializeOptimizer(optim.Optimizer optimizer)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            ((OptimizerHelper)optimizer).save_state_dict(writer);
        }
        return stream.ToArray();
    }

    private static void Write(string path, ModelManifest manifest, Dictionary<string, byte[]> binaries) =>
        AtomicFile.Write(path, file =>
        {
            using var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true);
            AddEntry(zip, ManifestEntry, JsonSerializer.SerializeToUtf8Bytes(manifest, NetworkSpec.JsonOptions), CompressionLevel.Optimal);
            foreach ((string name, byte[] content) in binaries)
            {
                AddEntry(zip, name, content, CompressionLevel.NoCompression);
            }
        });

    private static void AddEntry(ZipArchive zip, string name, byte[] content, CompressionLevel level)
    {
        using Stream stream = zip.CreateEntry(name, level).Open();
        stream.Write(content);
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry)
    {
        using Stream stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static Dictionary<string, string> Versions() => new()
    {
        ["digits"] = typeof(ModelFile).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
        ["torchsharp"] = typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown",
        ["dotnet"] = Environment.Version.ToString(),
    };
}
