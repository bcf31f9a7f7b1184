namespace Digits.Core.Data;

/// <summary>The official MNIST files, their checksums and where a data folder keeps them.</summary>
public static class MnistFiles
{
    /// <summary>Training images, 60,000 x 28 x 28.</summary>
    public static readonly MnistFile TrainImages = new(
        "train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db");

    /// <summary>Training labels, 60,000.</summary>
    public static readonly MnistFile TrainLabels = new(
        "train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5");

    /// <summary>Test images, 10,000 x 28 x 28.</summary>
    public static readonly MnistFile TestImages = new(
        "t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7");

    /// <summary>Test labels, 10,000.</summary>
    public static readonly MnistFile TestLabels = new(
        "t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

    /// <summary>All four, training files first.</summary>
    public static IReadOnlyList<MnistFile> All { get; } = [TrainImages, TrainLabels, TestImages, TestLabels];

    /// <summary>The environment variable that names the data folder.</summary>
    public const string DataVariable = "DIGITS_DATA";

    /// <summary>The data folder used when neither a flag nor <see cref="DataVariable"/> names one.</summary>
    public static string DefaultDirectory => Path.Combine("data", "mnist");

    /// <summary>
    /// Chooses the data folder: the explicit one, then <c>DIGITS_DATA</c>, then <c>./data/mnist</c>.
    /// </summary>
    public static string ResolveDirectory(string? explicitDirectory)
    {
        if (!string.IsNullOrWhiteSpace(explicitDirectory))
        {
            return explicitDirectory;
        }
        string? fromEnvironment = Environment.GetEnvironmentVariable(DataVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? DefaultDirectory : fromEnvironment;
    }

    /// <summary>
    /// The path of <paramref name="file"/> in <paramref name="directory"/>: the <c>.gz</c> file if present,
    /// else the raw one, else null.
    /// </summary>
    public static string? Find(string directory, MnistFile file)
    {
        string gzip = Path.Combine(directory, file.GzipName);
        if (File.Exists(gzip))
        {
            return gzip;
        }
        string raw = Path.Combine(directory, file.Name);
        return File.Exists(raw) ? raw : null;
    }

    /// <summary>Like <see cref="Find"/>, but throws a message that says how to get the data.</summary>
    /// <exception cref="FileNotFoundException">Neither the gzip nor the raw file exists.</exception>
    public static string Require(string directory, MnistFile file)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException(
                $"MNIST data folder '{Path.GetFullPath(directory)}' not found; run 'digits data download', " +
                $"or pass --data DIR or set {DataVariable}.");
        }
        return Find(directory, file) ?? throw new FileNotFoundException(
            $"MNIST file '{Path.Combine(Path.GetFullPath(directory), file.GzipName)}' not found; " +
            $"run 'digits data download --data {directory}', or pass --data DIR or set {DataVariable}.",
            file.GzipName);
    }
}
