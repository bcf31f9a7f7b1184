using Digits.Core.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Digits.Onnx;

/// <summary>
/// Reads a network's parameters and buffers as float arrays, and its modules' settings that the layer list does not
/// state (a batch norm's epsilon, a GELU's approximation). Holds the network's own tensors and never disposes them.
/// </summary>
internal sealed class NetworkWeights
{
    private readonly Dictionary<string, Tensor> _state;
    private readonly Dictionary<string, nn.Module> _modules;

    public NetworkWeights(DigitsNetwork network)
    {
        _state = network.state_dict();
        _modules = network.named_modules().ToDictionary(m => m.name, m => m.module, StringComparer.Ordinal);
    }

    /// <summary>The values and shape of <c>layers.LAYER.PARAMETER</c>, e.g. a convolution's <c>weight</c> [out, in, k, k].</summary>
    /// <exception cref="InvalidDataException">The network has no such tensor, or it is not float32.</exception>
    public (float[] Values, long[] Dims) Read(string layer, string parameter)
    {
        string key = $"{DigitsNetwork.LayersPrefix}{layer}.{parameter}";
        if (!_state.TryGetValue(key, out Tensor? tensor))
        {
            throw new InvalidDataException($"The network has no '{key}' to export; its layer '{layer}' does not hold the weights its type needs.");
        }
        if (tensor.dtype != ScalarType.Float32)
        {
            throw new InvalidDataException($"The network's '{key}' is {tensor.dtype}; the exporter writes float32 weights only.");
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        float[] values = tensor.detach().cpu().contiguous().data<float>().ToArray();
        return (values, tensor.shape);
    }

    /// <summary>The module that implements <paramref name="layer"/>, as <typeparamref name="T"/>.</summary>
    /// <exception cref="InvalidDataException">It is missing or of another type.</exception>
    public T Module<T>(string layer) where T : nn.Module
    {
        string key = DigitsNetwork.LayersPrefix + layer;
        return _modules.GetValueOrDefault(key) as T
            ?? throw new InvalidDataException($"The network's layer '{layer}' is not the {typeof(T).Name} module its type implies.");
    }
}
