using TorchSharp;
using static TorchSharp.torch;

namespace Digits.Core.Models;

/// <summary>
/// Makes an inference copy of a network: every batch normalisation that directly follows a convolution or a
/// dense layer is folded into that layer's weights and bias, and dropout layers, which do nothing in eval mode,
/// are dropped. The copy computes the same function as the original in eval mode with fewer libtorch calls,
/// which is most of the time of a one-image forward pass.
/// </summary>
public static class BatchNormFolding
{
    /// <summary>TorchSharp's BatchNorm1d and BatchNorm2d default, which the builder keeps.</summary>
    private const double BatchNormEpsilon = 1e-5;

    /// <summary>The folded copy, in eval mode, on the CPU; the caller owns it. The original is not changed.</summary>
    public static DigitsNetwork Fold(DigitsNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        IReadOnlyList<LayerInfo> infos = network.Layers;
        // A batch norm folds into the module just before it when that is a convolution's or dense layer's own (not its activation).
        bool Folds(int i) => infos[i].Source is BatchNormLayer && i > 0 && !infos[i - 1].InlineActivation && infos[i - 1].Source is Conv2dLayer or DenseLayer;
        bool Removed(int i) => Folds(i) || infos[i].Source is DropoutLayer or Dropout2dLayer;
        HashSet<int> removedLayers = [.. Enumerable.Range(0, infos.Count).Where(Removed).Select(i => infos[i].SourceIndex)];

        NetworkSpec spec = network.Definition.Network;
        ModelDefinition definition = network.Definition with
        {
            Network = spec with { Layers = [.. spec.Layers.Where((_, index) => !removedLayers.Contains(index))] },
        };
        var result = new DigitsNetwork(definition);
        int[] kept = [.. Enumerable.Range(0, infos.Count).Where(i => !Removed(i))];

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Dictionary<string, Tensor> source = network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu());
        var weights = new Dictionary<string, Tensor>();
        for (int k = 0; k < kept.Length; k++)
        {
            string from = $"{DigitsNetwork.LayersPrefix}{infos[kept[k]].Name}.";
            string to = $"{DigitsNetwork.LayersPrefix}{result.Layers[k].Name}.";
            int next = kept[k] + 1;
            if (next < infos.Count && Folds(next))
            {
                string norm = $"{DigitsNetwork.LayersPrefix}{infos[next].Name}.";
                // An explicit scalar, disposed after the call (see DigitsNetwork.Normalize).
                using Scalar epsilon = BatchNormEpsilon.ToScalar();
                Tensor scale = source[norm + "weight"].div(source[norm + "running_var"].add(epsilon).sqrt());
                Tensor weight = source[from + "weight"];
                long[] broadcast = [-1, .. Enumerable.Repeat(1L, (int)weight.dim() - 1)];
                weights[to + "weight"] = weight.mul(scale.view(broadcast));
                weights[to + "bias"] = source[from + "bias"].sub(source[norm + "running_mean"]).mul(scale).add(source[norm + "bias"]);
                continue;
            }
            foreach ((string key, Tensor value) in source.Where(kv => kv.Key.StartsWith(from, StringComparison.Ordinal)))
            {
                weights[to + key[from.Length..]] = value;
            }
        }
        result.load_state_dict(weights, strict: true);
        result.eval();
        return result;
    }
}
