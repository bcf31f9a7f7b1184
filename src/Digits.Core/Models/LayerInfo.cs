using TorchSharp.Modules;
using static TorchSharp.torch.nn;

namespace Digits.Core.Models;

/// <summary>One built layer: its name, kind, output shape (without the batch) and parameter counts.</summary>
public sealed record LayerInfo(string Name, string Kind, IReadOnlyList<long> OutputShape, long TrainableParameters, long NonTrainableParameters);
