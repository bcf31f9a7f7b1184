namespace Digits.Core.Models;

/// <summary>
/// One built module of a network: its name (its key in the saved weights), kind, output shape (without the batch),
/// parameter counts, and the layer of the spec that made it: each spec layer makes one module, and a conv2d or dense
/// layer with an <c>activation</c> a second one for it.
/// </summary>
/// <param name="Name">The module's name, e.g. <c>conv2d_1</c>.</param>
/// <param name="Kind">A <see cref="LayerKinds"/> name: the layer's type, or the activation's for an inline activation.</param>
/// <param name="OutputShape">The shape it gives, without the batch.</param>
/// <param name="TrainableParameters">Weights the optimiser changes.</param>
/// <param name="NonTrainableParameters">Running statistics (batch norm).</param>
/// <param name="Source">The spec layer that made this module.</param>
/// <param name="SourceIndex">That layer's place in the spec, from 0.</param>
/// <param name="InlineActivation">True for the module of a conv2d's or dense layer's own <c>activation</c>.</param>
public sealed record LayerInfo(
    string Name, string Kind, IReadOnlyList<long> OutputShape, long TrainableParameters, long NonTrainableParameters,
    LayerSpec Source, int SourceIndex, bool InlineActivation);
