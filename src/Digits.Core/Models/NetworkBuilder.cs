using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Digits.Core.Models;

/// <summary>
/// Turns a <see cref="NetworkSpec"/> into TorchSharp modules, inferring every layer's input size from
/// the shape before it. A spec that cannot work fails with a message naming the layer.
/// </summary>
public static class NetworkBuilder
{
    /// <summary>
    /// Refuses a new network whose last layer applies an activation: it must give logits, since the loss applies the
    /// softmax or sigmoid itself. Checked when a network is made, not when a saved one is read, so files trained before
    /// the check still open.
    /// </summary>
    /// <exception cref="InvalidDataException">The last layer is an activation, or has one.</exception>
    public static void EnsureEndsInLogits(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Layers.Count == 0)
        {
            return;
        }
        string? activation = spec.Layers[^1] switch
        {
            Conv2dLayer c => c.Activation,
            DenseLayer d => d.Activation,
            LayerSpec layer when LayerKinds.Activations.Contains(layer.Kind) => layer.Kind,
            _ => null,
        };
        if (activation is not null)
        {
            throw new InvalidDataException(
                $"The network must end with {Outputs(spec)}, as logits, but its last layer applies a {activation}; drop that activation: " +
                $"the loss applies the {spec.Output} itself{(spec.Output == NetworkSpec.Softmax ? $" (for a sigmoid output, give \"output\": \"{NetworkSpec.Sigmoid}\")" : "")}.");
        }
    }

    /// <summary>Builds the layers of <paramref name="spec"/> as a named chain, on the CPU.</summary>
    /// <exception cref="InvalidDataException">A layer does not fit the shape it receives, or the output is not [classes].</exception>
    public static (Sequential Layers, IReadOnlyList<LayerInfo> Infos) Build(NetworkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Input.Count != 3 || spec.Input.Any(d => d <= 0))
        {
            throw new InvalidDataException($"The input shape must be [channels, height, width] with positive sizes; received [{string.Join(", ", spec.Input)}].");
        }
        var modules = new List<(string, Module<Tensor, Tensor>)>();
        try
        {
            IReadOnlyList<LayerInfo> infos = BuildLayers(spec, modules);
            return (Sequential(modules), infos);
        }
        catch
        {
            foreach ((string _, Module<Tensor, Tensor> m) in modules)
            {
                m.Dispose();
            }
            throw;
        }
    }

    private static List<LayerInfo> BuildLayers(NetworkSpec spec, List<(string, Module<Tensor, Tensor>)> modules)
    {
        var infos = new List<LayerInfo>();
        var counters = new Dictionary<string, int>();
        long[] shape = spec.Input.Select(d => (long)d).ToArray();
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            LayerSpec layer = spec.Layers[i] ?? throw new InvalidDataException($"Layer {i + 1} is empty.");
            string where = $"Layer {i + 1} ({layer.Kind}{(layer.Name is null ? "" : $" '{layer.Name}'")})";
            (Module<Tensor, Tensor> module, long[] output) = Create(layer, shape, where);
            AddModule(modules, infos, counters, layer.Name, layer.Kind, module, output, layer, i, inline: false);
            shape = output;
            string? activation = layer switch
            {
                Conv2dLayer c => c.Activation,
                DenseLayer d => d.Activation,
                _ => null,
            };
            if (activation is not null)
            {
                Module<Tensor, Tensor> act = CreateActivation(activation, where);
                AddModule(modules, infos, counters, null, activation, act, shape, layer, i, inline: true);
            }
        }
        if (spec.Output is not (NetworkSpec.Softmax or NetworkSpec.Sigmoid))
        {
            throw new InvalidDataException($"The output must be \"{NetworkSpec.Softmax}\" or \"{NetworkSpec.Sigmoid}\"; received \"{spec.Output}\".");
        }
        if (spec.Output == NetworkSpec.Sigmoid && spec.Classes != 2)
        {
            throw new InvalidDataException($"A sigmoid output tells two classes apart; this network has {spec.Classes}. Use \"output\": \"{NetworkSpec.Softmax}\".");
        }
        if (shape.Length != 1 || shape[0] != spec.OutputUnits)
        {
            throw new InvalidDataException(
                $"The network must end with {Outputs(spec)}, but its last layer outputs [{string.Join(", ", shape)}]; " +
                $"end with {{\"type\": \"dense\", \"units\": {spec.OutputUnits}}}.");
        }
        return infos;
    }

    /// <summary>What the last layer must give, in words.</summary>
    private static string Outputs(NetworkSpec spec) =>
        spec.Output == NetworkSpec.Sigmoid ? "1 output, the sigmoid's logit" : $"{spec.Classes} outputs, one per class";

    private static void AddModule(
        List<(string, Module<Tensor, Tensor>)> modules, List<LayerInfo> infos, Dictionary<string, int> counters,
        string? name, string kind, Module<Tensor, Tensor> module, long[] shape, LayerSpec source, int index, bool inline)
    {
        counters[kind] = counters.GetValueOrDefault(kind) + 1;
        string key = name ?? $"{kind}_{counters[kind]}";
        if (modules.Any(m => m.Item1 == key))
        {
            throw new InvalidDataException($"Two layers are named '{key}'; layer names must be unique.");
        }
        long trainable = module.parameters().Sum(p => p.numel());
        long nonTrainable = module.named_buffers()
            .Where(b => b.name is "running_mean" or "running_var")
            .Sum(b => b.buffer.numel());
        modules.Add((key, module));
        infos.Add(new LayerInfo(key, kind, shape, trainable, nonTrainable, source, index, inline));
    }

    private static (Module<Tensor, Tensor>, long[]) Create(LayerSpec layer, long[] shape, string where)
    {
        switch (layer)
        {
            case Conv2dLayer c:
                {
                    (long channels, long height, long width) = Image(shape, where);
                    Positive(c.Filters, "filters", where);
                    Positive(c.Kernel, "kernel", where);
                    Positive(c.Stride, "stride", where);
                    if (c.Padding == Conv2dLayer.Same)
                    {
                        if (c.Stride != 1)
                        {
                            throw new InvalidDataException($"{where}: padding 'same' needs stride 1; received stride {c.Stride}.");
                        }
                        return (Conv2d(channels, c.Filters, c.Kernel, Padding.Same), [c.Filters, height, width]);
                    }
                    if (c.Padding != Conv2dLayer.Valid)
                    {
                        throw new InvalidDataException($"{where}: padding must be 'valid' or 'same'; received '{c.Padding}'.");
                    }
                    long outHeight = ((height - c.Kernel) / c.Stride) + 1;
                    long outWidth = ((width - c.Kernel) / c.Stride) + 1;
                    TooSmall(height < c.Kernel || width < c.Kernel, shape, $"a {c.Kernel}x{c.Kernel} kernel", where);
                    return (Conv2d(channels, c.Filters, c.Kernel, stride: c.Stride), [c.Filters, outHeight, outWidth]);
                }
            case MaxPoolLayer p:
                {
                    long[] output = Pooled(shape, p.Size, p.Stride, where);
                    return (MaxPool2d(p.Size, p.Stride ?? p.Size), output);
                }
            case AvgPoolLayer p:
                {
                    long[] output = Pooled(shape, p.Size, p.Stride, where);
                    return (AvgPool2d(p.Size, p.Stride ?? p.Size), output);
                }
            case GlobalAvgPoolLayer:
                {
                    (long channels, _, _) = Image(shape, where);
                    return (Sequential(AdaptiveAvgPool2d(1), Flatten()), [channels]);
                }
            case BatchNormLayer:
                return shape.Length == 3
                    ? (BatchNorm2d(shape[0]), shape)
                    : (BatchNorm1d(shape[0]), shape);
            case DropoutLayer d:
                CheckRate(d.Rate, where);
                return (Dropout(d.Rate), shape);
            case Dropout2dLayer d:
                CheckRate(d.Rate, where);
                Image(shape, where);
                return (Dropout2d(d.Rate), shape);
            case FlattenLayer:
                return (Flatten(), [shape.Aggregate(1L, (a, b) => a * b)]);
            case DenseLayer d:
                Positive(d.Units, "units", where);
                if (shape.Length != 1)
                {
                    throw new InvalidDataException(
                        $"{where}: expects a flat input but receives [{string.Join(", ", shape)}]; put a 'flatten' layer before it.");
                }
                return (Linear(shape[0], d.Units), [d.Units]);
            case ReluLayer or TanhLayer or SigmoidLayer or GeluLayer:
                return (CreateActivation(layer.Kind, where), shape);
            default:
                throw new InvalidDataException($"{where}: unknown layer type; known: {string.Join(", ", LayerKinds.All)}.");
        }
    }

    private static Module<Tensor, Tensor> CreateActivation(string name, string where) => name switch
    {
        LayerKinds.Relu => ReLU(),
        LayerKinds.Tanh => Tanh(),
        LayerKinds.Sigmoid => Sigmoid(),
        LayerKinds.Gelu => GELU(),
        _ => throw new InvalidDataException($"{where}: unknown activation '{name}'; known: {string.Join(", ", LayerKinds.Activations)}."),
    };

    private static (long, long, long) Image(long[] shape, string where)
    {
        if (shape.Length != 3)
        {
            throw new InvalidDataException(
                $"{where}: expects an image [channels, height, width] but receives [{string.Join(", ", shape)}]; image layers must come before 'flatten'.");
        }
        return (shape[0], shape[1], shape[2]);
    }

    private static long[] Pooled(long[] shape, int size, int? stride, string where)
    {
        (long channels, long height, long width) = Image(shape, where);
        Positive(size, "size", where);
        int step = stride ?? size;
        Positive(step, "stride", where);
        TooSmall(height < size || width < size, shape, $"a {size}x{size} window", where);
        return [channels, ((height - size) / step) + 1, ((width - size) / step) + 1];
    }

    private static void CheckRate(double rate, string where)
    {
        if (rate is < 0 or >= 1)
        {
            throw new InvalidDataException($"{where}: rate must be at least 0 and below 1; received {rate}.");
        }
    }

    private static void Positive(int value, string field, string where)
    {
        if (value <= 0)
        {
            throw new InvalidDataException($"{where}: {field} must be positive; received {value}.");
        }
    }

    private static void TooSmall(bool tooSmall, long[] shape, string what, string where)
    {
        if (tooSmall)
        {
            throw new InvalidDataException($"{where}: its input [{string.Join(", ", shape)}] is smaller than {what}.");
        }
    }
}
