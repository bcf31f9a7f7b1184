using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Digits.Core.Models;
using Digits.Core.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Digits.Core.Persistence;

/// <summary>
/// Reads and writes <c>.digits</c> model files: a zip archive holding <c>manifest.json</c>, the inference
/// weights (the best epoch's), and for resuming the latest weights and the optimiser state.
/// Files are written to a temporary file first, then renamed, so a crash never leaves half a model.
/// </summary>
public static class ModelFile
{
    /// <summary>The usual file extension.</summary>
    public const string Extension = ".digits";

    private const string ManifestEntry = "manifest.json";
    private const string WeightsEntry = "weights.bin";
    private const string LatestWeightsEntry = "latest-weights.bin";
    private const string OptimizerEntry = "optimizer.bin";

    /// <summary>Saves a training session; <paramref name="metrics"/> adds measured figures such as test accuracy.</summary>
    public static void Save(string path, TrainingSession session, IReadOnlyDictionary<string, double>? metrics = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(session);
        byte[] weights = Serialize(session.BestWeights());
        byte[]? latest = session.CurrentDiffersFromBest || session.Interrupted ? Serialize(session.CopyWeights()) : null;
        byte[] optimizer = SerializeOptimizer(session.Optimizer);
        var manifest = new ModelManifest
        {
            Model = session.Definition.Name,
            Description = session.Definition.Description,
            Network = session.Definition.Network,
            Normalization = session.Definition.Normalization,
            Recipe = session.Recipe,
            Training = new TrainingRecord(
                session.Seed, session.ValidationSplit, session.Limit, session.Monitor, session.BestEpoch, session.BestValue,
                !session.Interrupted, [.. session.History]),
            Metrics = metrics is null ? [] : new Dictionary<string, double>(metrics),
            Versions = Versions(),
            CreatedAt = DateTimeOffset.UtcNow,
            WeightsSha256 = Convert.ToHexStringLower(SHA256.HashData(weights)),
        };
        Write(path, manifest, weights, latest, optimizer);
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
        string hash = Convert.ToHexStringLower(SHA256.HashData(weights));
        if (hash != manifest.WeightsSha256)
        {
            throw new InvalidDataException($"'{path}' is damaged: its weights' SHA-256 is {hash}, the manifest says {manifest.WeightsSha256}.");
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

    internal static void LoadOptimizer(optim.Optimizer optimizer, byte[] state)
    {
        using var reader = new BinaryReader(new MemoryStream(state));
        ((OptimizerHelper)optimizer).load_state_dict(reader);
    }

    private static byte[] Serialize(Dictionary<string, Tensor> weights)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            nn.Module.save_state_dict(writer, weights);
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

    private static void Write(string path, ModelManifest manifest, byte[] weights, byte[]? latest, byte[] optimizer)
    {
        string fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        string temporary = fullPath + $".{Environment.ProcessId}.tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
            using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
            {
                AddEntry(zip, ManifestEntry, JsonSerializer.SerializeToUtf8Bytes(manifest, NetworkSpec.JsonOptions), CompressionLevel.Optimal);
                AddEntry(zip, WeightsEntry, weights, CompressionLevel.NoCompression);
                if (latest is not null)
                {
                    AddEntry(zip, LatestWeightsEntry, latest, CompressionLevel.NoCompression);
                }
                AddEntry(zip, OptimizerEntry, optimizer, CompressionLevel.NoCompression);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

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
