using Digits.Core.Evaluation;
using Digits.Core.Models;

namespace Digits.Core.Persistence;

/// <summary>
/// The description part of a <c>.digits</c> file: enough to rebuild the exact network, continue its
/// training and say where it came from.
/// </summary>
public sealed record ModelManifest
{
    /// <summary>The value of <see cref="Format"/> in every Digits model file.</summary>
    public const string FormatName = "digits-model";

    /// <summary>Identifies the file as a Digits model.</summary>
    public string Format { get; init; } = FormatName;

    /// <summary>The version of this layout. Defaults to 1.</summary>
    public int FormatVersion { get; init; } = 1;

    /// <summary>The registry id or layer-list name.</summary>
    public required string Model { get; init; }

    /// <summary>Where the network comes from.</summary>
    public required string Description { get; init; }

    /// <summary>The layers.</summary>
    public required NetworkSpec Network { get; init; }

    /// <summary>The input normalisation, or null.</summary>
    public Normalization? Normalization { get; init; }

    /// <summary>The recipe the run used, overrides included.</summary>
    public required TrainingRecipe Recipe { get; init; }

    /// <summary>The state of training, or null for a file without one.</summary>
    public TrainingRecord? Training { get; init; }

    /// <summary>The temperature and "not sure" threshold fitted on the validation split, or null when there was none.</summary>
    public Calibration? Calibration { get; init; }

    /// <summary>The <see cref="Metrics"/> key of the accuracy on the MNIST test set, in [0, 1].</summary>
    public const string TestAccuracy = "test_accuracy";

    /// <summary>The <see cref="Metrics"/> key of the mean cross-entropy on the MNIST test set.</summary>
    public const string TestLoss = "test_loss";

    /// <summary>The <see cref="Metrics"/> key of the accuracy on the validation images, for models without a test set (image folders).</summary>
    public const string ValidationAccuracy = "validation_accuracy";

    /// <summary>The <see cref="Metrics"/> key of the mean cross-entropy on the validation images.</summary>
    public const string ValidationLoss = "validation_loss";

    /// <summary>Measured figures, e.g. <see cref="TestAccuracy"/> and <see cref="TestLoss"/>.</summary>
    public Dictionary<string, double> Metrics { get; init; } = [];

    /// <summary>The versions of Digits, TorchSharp and .NET that wrote the file.</summary>
    public Dictionary<string, string> Versions { get; init; } = [];

    /// <summary>When the file was written, UTC.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>SHA-256 of each binary entry of the file (weights, optimiser state), to detect damage.</summary>
    public Dictionary<string, string> Checksums { get; init; } = [];

    /// <summary>
    /// The model's name and the start of its weights' SHA-256, e.g. <c>digitnet-3f2a9c01b7de</c>: the same for every copy
    /// of the file, different for every retraining.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Id => Checksums.GetValueOrDefault(ModelFile.WeightsEntry, "") is { Length: >= IdHashLength } hash ? $"{Model}-{hash[..IdHashLength]}" : Model;

    private const int IdHashLength = 12;

    /// <summary>The definition the network is rebuilt from.</summary>
    public ModelDefinition ToDefinition() => new(Model, Description, Network, Normalization, Recipe);
}
