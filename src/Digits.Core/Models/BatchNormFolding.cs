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
        var removed = new HashSet<int>();
        for (int i = 0; i < infos.Count; i++)
        {
            bool folded = infos[i].Kind == "batchnorm" && i > 0 && infos[i - 1].Kind is "conv2d" or "dense";
            if (folded || infos[i].Kind is "dropout" or "dropout2d")
            {
                removed.Add(i);
            }
        }

        // Spec layers map to one module each, plus one for an inline activation.
        var keptLayers = new List<LayerSpec>();
        int info = 0;
        foreach (LayerSpec layer in network.Definition.Network.Layers)
        {
            if (!removed.Contains(info))
            {
                keptLayers.Add(layer);
            }
            info += layer is Conv2dLayer { Activation: not null } or DenseLayer { Activation: not null } ? 2 : 1;
        }
        ModelDefinition definition = network.Definition with { Network = network.Definition.Network with { Layers = keptLayers } };
        var result = new DigitsNetwork(definition);
        int[] kept = [.. Enumerable.Range(0, infos.Count).Where(i => !removed.Contains(i))];

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Dictionary<string, Tensor> source = network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu());
        var weights = new Dictionary<string, Tensor>();
        for (int k = 0; k < kept.Length; k++)
        {
            string from = $"{DigitsNetwork.LayersPrefix}{infos[kept[k]].Name}.";
            string to = $"{DigitsNetwork.LayersPrefix}{result.Layers[k].Name}.";
            int next = kept[k] + 1;
            if (next < infos.Count && removed.Contains(next) && infos[next].Kind == "batchnorm")
            {
                string norm = $"{DigitsNetwork.LayersPrefix}{infos[next].Name}.";
                Tensor scale = source[norm + "weight"].div(source[norm + "running_var"].add(BatchNormEpsilon).sqrt());
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
