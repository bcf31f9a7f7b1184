using System.IO.Compression;
using System.Reflection;
using System.Runtime.InteropServices;
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

    /// <summary>
    /// No weight or statistic of a trained network comes near this (the shipped model's largest is under 100, a batch
    /// norm's running variance); a flipped exponent bit makes values of 1e30 and more, which overflow to NaN answers.
    /// </summary>
    private const double LargestWeight = 1e6;

    /// <summary>The most bytes the manifest may hold once unpacked: 16 MiB, fifty times a manifest with a 1,000-epoch history.</summary>
    private const long MaxManifestBytes = 16L << 20;

    /// <summary>
    /// The most bytes any other entry may hold once unpacked: four float32 copies of the largest network the builder makes
    /// (<see cref="NetworkBuilder.MaxParameters"/>; RMSprop's centred, momentum state keeps three besides the weights),
    /// and 16 MiB for the keys and headers. Checked from the entry's declared size before it is read, so a small file
    /// that unpacks to gigabytes is refused at once.
    /// </summary>
    private const long MaxEntryBytes = (4L * sizeof(float) * NetworkBuilder.MaxParameters) + (16L << 20);

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
        if (Directory.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' is a folder, not a model file; give a .digits file, as 'digits train' writes.", path);
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model file '{Path.GetFullPath(path)}' not found; train one with 'digits train --out {path}'.", path);
        }
        Dictionary<string, byte[]> entries = ReadEntries(path);
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
        catch (NotSupportedException e)
        {
            throw new InvalidDataException($"'{path}' has an unreadable manifest: {NetworkSpec.MissingType(e)}", e);
        }
        if (manifest is null || manifest.Format != ModelManifest.FormatName)
        {
            throw new InvalidDataException($"'{path}' is not a Digits model file: its manifest format is '{manifest?.Format}', expected '{ModelManifest.FormatName}'.");
        }
        if (Nonsense(manifest) is string problem)
        {
            throw new InvalidDataException($"'{path}' has a damaged manifest: {problem}");
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

    /// <summary>
    /// The entries by name, each checked against its size limit from the size the zip declares before any of it is
    /// unpacked (a reader never unpacks more than that), and refused when two share a name.
    /// </summary>
    private static Dictionary<string, byte[]> ReadEntries(string path)
    {
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        string? problem = null;
        try
        {
            using ZipArchive zip = ZipFile.OpenRead(path);
            foreach (ZipArchiveEntry entry in zip.Entries)
            {
                long limit = entry.FullName == ManifestEntry ? MaxManifestBytes : MaxEntryBytes;
                if (entry.Length > limit)
                {
                    problem = $"'{path}' is not a Digits model file: its entry '{entry.FullName}' unpacks to {entry.Length:N0} bytes, more than the {limit:N0} a model's may hold.";
                    break;
                }
                if (entries.ContainsKey(entry.FullName))
                {
                    problem = $"'{path}' is damaged: it holds two entries named '{entry.FullName}'.";
                    break;
                }
                entries[entry.FullName] = ReadEntry(entry);
            }
        }
        catch (InvalidDataException e)
        {
            // The archive reader's own words ("Central Directory corrupt") mean nothing to the person who gave the file.
            throw new InvalidDataException($"'{path}' is not a Digits model file, or it is truncated: a model file is the zip archive 'digits train' writes.", e);
        }
        return problem is null ? entries : throw new InvalidDataException(problem);
    }

    /// <summary>
    /// What in a manifest that the reader accepted cannot be used, or null: numbers that would turn every answer into
    /// NaN (a normalisation with a zero std, a temperature of zero), empty places in lists.
    /// </summary>
    private static string? Nonsense(ModelManifest manifest)
    {
        if (manifest.Normalization is { } n && !(float.IsFinite(n.Mean) && float.IsFinite(n.Std) && n.Std > 0))
        {
            return $"its normalization has mean {n.Mean} and std {n.Std}; the mean must be a number and the std above 0.";
        }
        if (manifest.Calibration is { } c && !(double.IsFinite(c.Temperature) && c.Temperature > 0 && c.Threshold is >= 0 and <= 1))
        {
            return $"its calibration has temperature {c.Temperature} and threshold {c.Threshold}; the temperature must be above 0 and the threshold from 0 to 1.";
        }
        if (manifest.Training?.History.Any(epoch => epoch is null) == true)
        {
            return "its training history has an empty epoch.";
        }
        if (manifest.Network.ClassNames?.Any(name => name is null) == true)
        {
            return "its class names include an empty one.";
        }
        if (manifest.Network.ClassNames is { } names && names.Count != manifest.Network.Classes)
        {
            return $"it names {names.Count} classes for a network of {manifest.Network.Classes}.";
        }
        return null;
    }

    /// <summary>Builds a network from <paramref name="definition"/> on the CPU and loads <paramref name="weights"/> into it.</summary>
    /// <exception cref="InvalidDataException">The weights do not fit the network, or are not all numbers.</exception>
    internal static DigitsNetwork CreateNetwork(ModelDefinition definition, byte[] weights, string source)
    {
        var network = new DigitsNetwork(definition);
        try
        {
            LoadWeights(network, weights, "weights", source);
        }
        catch (InvalidDataException)
        {
            network.Dispose();
            throw;
        }
        return network;
    }

    /// <summary>
    /// Loads <paramref name="weights"/> into a network of the same architecture: the <paramref name="which"/>
    /// ("weights", "latest weights") of the file <paramref name="source"/>, which the messages name.
    /// </summary>
    /// <exception cref="InvalidDataException">They do not fit the network, or are not all numbers.</exception>
    internal static void LoadWeights(DigitsNetwork network, byte[] weights, string which, string source)
    {
        try
        {
            ReadWeights(network, weights);
        }
        catch (Exception e) when (IsLoadFailure(e))
        {
            throw new InvalidDataException(
                $"The {which} in '{source}' do not match the '{network.Definition.Name}' architecture it describes ({FirstLine(e.Message)}).", e);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"The {which} in '{source}' cannot be used: {e.Message}", e);
        }
    }

    /// <summary>Reads weights into a network of the same architecture, and checks that they are numbers a trained network holds.</summary>
    /// <exception cref="InvalidDataException">A weight or statistic is NaN, infinite or far too large: every answer would be NaN.</exception>
    private static void ReadWeights(DigitsNetwork network, byte[] weights)
    {
        using var reader = new BinaryReader(new MemoryStream(weights));
        network.load(reader, strict: true);
        using var scope = NewDisposeScope();
        foreach ((string key, Tensor value) in network.state_dict())
        {
            if (!value.is_floating_point() || value.numel() == 0)
            {
                continue;
            }
            if (!value.isfinite().all().ToBoolean())
            {
                throw new InvalidDataException(
                    $"{key} holds values that are not numbers (NaN or infinity); the training that wrote them diverged, or the file was changed.");
            }
            double largest = value.abs().max().ToDouble();
            if (largest > LargestWeight)
            {
                throw new InvalidDataException(
                    $"{key} holds a value of {largest:G3}, far beyond any trained network's, whose answers would overflow; the file was changed.");
            }
        }
    }

    internal static void LoadOptimizer(optim.Optimizer optimizer, byte[] state, string source)
    {
        try
        {
            using var reader = new BinaryReader(new MemoryStream(state));
            ((OptimizerHelper)optimizer).load_state_dict(reader);
        }
        catch (Exception e) when (IsLoadFailure(e))
        {
            throw new InvalidDataException($"The optimizer state in '{source}' does not fit the run ({FirstLine(e.Message)}).", e);
        }
    }

    /// <summary>
    /// How TorchSharp's readers refuse bytes that are not the state they expect: its own checks (names, shapes, types),
    /// the end of the bytes, a length that is not one, or libtorch refusing a type id or size read from them
    /// (<see cref="ExternalException"/>).
    /// </summary>
    private static bool IsLoadFailure(Exception e) =>
        e is ArgumentException or InvalidOperationException or EndOfStreamException or IOException or FormatException or OverflowException or ExternalException;

    /// <summary>libtorch's messages carry its C++ stack after the first line; people need only the first.</summary>
    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

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
