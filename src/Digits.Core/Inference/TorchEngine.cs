using Digits.Core.Models;
using Digits.Core.Persistence;
using TorchSharp;
using static TorchSharp.torch;

namespace Digits.Core.Inference;

/// <summary>
/// Logits from libtorch: the model's network with its batch norms folded, in eval mode on its device. Each call runs
/// in inference mode in its own dispose scope, so concurrent calls share no mutable tensors.
/// </summary>
public sealed class TorchEngine : ILogitsEngine
{
    private readonly DigitsNetwork _network;
    private readonly Device _device;
    private readonly long[] _input;

    /// <summary>Builds the network of <paramref name="saved"/> on the CPU, loads it, folds it for speed, then moves it to <paramref name="device"/>.</summary>
    public TorchEngine(SavedModel saved, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(saved);
        using (DigitsNetwork trained = saved.CreateNetwork())
        {
            _network = BatchNormFolding.Fold(trained);
        }
        _device = device ?? CPU;
        _network.to(_device);
        _input = [.. saved.Manifest.Network.Input.Select(d => (long)d)];
    }

    /// <summary>The engine's name, as <c>--engine</c> spells it.</summary>
    public const string EngineName = "torch";

    /// <inheritdoc />
    public string Name => EngineName;

    /// <inheritdoc />
    public float[] Logits(float[] values, int count)
    {
        ArgumentNullException.ThrowIfNull(values);
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        return _network.call(Inputs(values, count)).cpu().data<float>().ToArray();
    }

    /// <summary>
    /// Each convolution's first <paramref name="mapsPerLayer"/> feature maps for one input, each stretched to [0, 1]
    /// from its own minimum to maximum.
    /// </summary>
    public IReadOnlyList<FeatureMaps> FeatureMaps(float[] values, int mapsPerLayer)
    {
        ArgumentNullException.ThrowIfNull(values);
        using var scope = NewDisposeScope();
        using var mode = inference_mode();
        var layers = new List<FeatureMaps>();
        foreach ((string layer, Tensor maps) in _network.FeatureMaps(Inputs(values, 1)))
        {
            int channels = (int)maps.shape[1];
            int height = (int)maps.shape[2];
            int width = (int)maps.shape[3];
            Tensor first = maps[0].narrow(0, 0, Math.Min(mapsPerLayer, channels)).flatten(1);
            Tensor low = first.amin([1], keepdim: true);
            // An explicit scalar, kept alive across the call (see DigitsNetwork.Normalize).
            using Scalar tiny = 1e-8.ToScalar();
            Tensor range = first.amax([1], keepdim: true).sub_(low).clamp_min_(tiny);
            float[] stretched = first.sub(low).div_(range).cpu().data<float>().ToArray();
            layers.Add(new FeatureMaps(layer, channels, height, width, [.. stretched.Chunk(height * width)]));
        }
        return layers;
    }

    /// <summary><paramref name="count"/> inputs as <c>[count, C, H, W]</c> on the network's device, in the caller's dispose scope.</summary>
    private Tensor Inputs(float[] values, int count)
    {
        long size = _input.Aggregate(1L, (a, b) => a * b);
        if (count < 0 || values.Length != count * size)
        {
            throw new ArgumentException($"Expected {count} inputs of [{string.Join(", ", _input)}] ({count * size} values); received {values.Length}.", nameof(values));
        }
        Tensor inputs = tensor(values, [count, .. _input]);
        return _device.type == DeviceType.CPU ? inputs : inputs.to(_device);
    }

    /// <inheritdoc />
    public void Dispose() => _network.Dispose();
}
