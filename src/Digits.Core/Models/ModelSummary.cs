namespace Digits.Core.Models;

/// <summary>A Keras-style summary of a network: one row per layer, then the parameter totals.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Input">The input shape, without the batch.</param>
/// <param name="Rows">The layers in order.</param>
public sealed record ModelSummary(string Model, IReadOnlyList<int> Input, IReadOnlyList<LayerInfo> Rows)
{
    /// <summary>How the last layer's logits become probabilities: <see cref="NetworkSpec.Output"/>.</summary>
    public string Output { get; init; } = NetworkSpec.Softmax;

    /// <summary>Weights the optimiser updates.</summary>
    public long TrainableParameters => Rows.Sum(r => r.TrainableParameters);

    /// <summary>Values saved with the model but not trained (batch-norm running statistics).</summary>
    public long NonTrainableParameters => Rows.Sum(r => r.NonTrainableParameters);

    /// <summary>Trainable plus non-trainable.</summary>
    public long TotalParameters => TrainableParameters + NonTrainableParameters;

    /// <summary>Summarises a built network.</summary>
    public static ModelSummary Of(DigitsNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new ModelSummary(network.Definition.Name, network.Definition.Network.Input, network.Layers) { Output = network.Definition.Network.Output };
    }

    /// <summary>Builds <paramref name="definition"/> on the CPU and summarises it.</summary>
    public static ModelSummary Of(ModelDefinition definition)
    {
        using var network = new DigitsNetwork(definition);
        return Of(network);
    }

    /// <summary>A shape in Keras's notation, with <c>None</c> for the batch: <c>(None, 32, 28, 28)</c>.</summary>
    public static string FormatShape(IEnumerable<long> shape) => $"(None, {string.Join(", ", shape)})";
}
