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
    /// The most parameters (weights, biases and batch-norm statistics) a network may have: 50 million, 200 MB of float32,
    /// 14 times the largest built-in network (<c>convnet-150</c>, 3.45 million). A spec over it, a mistyped size or a file
    /// from a stranger, is refused before anything is allocated, rather than allocating gigabytes.
    /// </summary>
    public const long MaxParameters = 50_000_000;

    /// <summary>
    /// The most values the input or any layer may hold per image: 2^24 (16.8 million, 64 MB of float32 per image, so
    /// 4 GB for a batch of 64), 24 times the largest output of a built-in layer (<c>convnet-150</c>'s first convolution,
    /// 32x148x148). A 100,000-filter convolution of a 28x28 digit (78 million values) is refused by it.
    /// </summary>
    public const long MaxValuesPerImage = 1 << 24;

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
        if ((double)spec.Input[0] * spec.Input[1] * spec.Input[2] > MaxValuesPerImage)
        {
            throw new InvalidDataException(
                $"The input [{string.Join(", ", spec.Input)}] holds {(double)spec.Input[0] * spec.Input[1] * spec.Input[2]:N0} values per image, " +
                $"over the limit of {MaxValuesPerImage:N0}; use smaller pictures.");
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
        double parameters = 0;
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            LayerSpec layer = spec.Layers[i] ?? throw new InvalidDataException($"Layer {i + 1} is empty.");
            string where = $"Layer {i + 1} ({layer.Kind}{(layer.Name is null ? "" : $" '{layer.Name}'")})";
            Plan plan = Create(layer, shape, where);
            // Checked before the module exists: its weights are allocated (and initialised) as it is made.
            parameters += plan.Parameters;
            CheckSize(plan.Output, parameters, where);
            (Module<Tensor, Tensor> module, long[] output) = (plan.Make(), plan.Output);
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

    /// <summary>A layer about to be made: its output shape, its parameter count (as a double, so no size overflows) and how to make it.</summary>
    private sealed record Plan(long[] Output, double Parameters, Func<Module<Tensor, Tensor>> Make);

    private static Plan Create(LayerSpec layer, long[] shape, string where)
    {
        switch (layer)
        {
            case Conv2dLayer c:
                {
                    (long channels, long height, long width) = Image(shape, where);
                    Positive(c.Filters, "filters", where);
                    Positive(c.Kernel, "kernel", where);
                    Positive(c.Stride, "stride", where);
                    double parameters = c.Filters * (((double)channels * c.Kernel * c.Kernel) + 1);
                    if (c.Padding == Conv2dLayer.Same)
                    {
                        if (c.Stride != 1)
                        {
                            throw new InvalidDataException($"{where}: padding 'same' needs stride 1; received stride {c.Stride}.");
                        }
                        return new Plan([c.Filters, height, width], parameters, () => Conv2d(channels, c.Filters, c.Kernel, Padding.Same));
                    }
                    if (c.Padding != Conv2dLayer.Valid)
                    {
                        throw new InvalidDataException($"{where}: padding must be 'valid' or 'same'; received '{c.Padding}'.");
                    }
                    long outHeight = ((height - c.Kernel) / c.Stride) + 1;
                    long outWidth = ((width - c.Kernel) / c.Stride) + 1;
                    TooSmall(height < c.Kernel || width < c.Kernel, shape, $"a {c.Kernel}x{c.Kernel} kernel", where);
                    return new Plan([c.Filters, outHeight, outWidth], parameters, () => Conv2d(channels, c.Filters, c.Kernel, stride: c.Stride));
                }
            case MaxPoolLayer p:
                return new Plan(Pooled(shape, p.Size, p.Stride, where), 0, () => MaxPool2d(p.Size, p.Stride ?? p.Size));
            case AvgPoolLayer p:
                return new Plan(Pooled(shape, p.Size, p.Stride, where), 0, () => AvgPool2d(p.Size, p.Stride ?? p.Size));
            case GlobalAvgPoolLayer:
                {
                    (long channels, _, _) = Image(shape, where);
                    return new Plan([channels], 0, () => Sequential(AdaptiveAvgPool2d(1), Flatten()));
                }
            case BatchNormLayer:
                // A weight, a bias, a running mean and a running variance per channel.
                return new Plan(shape, 4.0 * shape[0], () => shape.Length == 3 ? BatchNorm2d(shape[0]) : BatchNorm1d(shape[0]));
            case DropoutLayer d:
                CheckRate(d.Rate, where);
                return new Plan(shape, 0, () => Dropout(d.Rate));
            case Dropout2dLayer d:
                CheckRate(d.Rate, where);
                Image(shape, where);
                return new Plan(shape, 0, () => Dropout2d(d.Rate));
            case FlattenLayer:
                return new Plan([shape.Aggregate(1L, (a, b) => a * b)], 0, () => Flatten());
            case DenseLayer d:
                Positive(d.Units, "units", where);
                if (shape.Length != 1)
                {
                    throw new InvalidDataException(
                        $"{where}: expects a flat input but receives [{string.Join(", ", shape)}]; put a 'flatten' layer before it.");
                }
                return new Plan([d.Units], d.Units * ((double)shape[0] + 1), () => Linear(shape[0], d.Units));
            case ReluLayer or TanhLayer or SigmoidLayer or GeluLayer:
                return new Plan(shape, 0, () => CreateActivation(layer.Kind, where));
            default:
                throw new InvalidDataException($"{where}: unknown layer type; known: {string.Join(", ", LayerKinds.All)}.");
        }
    }

    /// <summary>Refuses a layer whose output or the network's parameters so far are over the limits, naming the layer.</summary>
    private static void CheckSize(long[] output, double parameters, string where)
    {
        double values = output.Aggregate(1.0, (a, b) => a * b);
        if (values > MaxValuesPerImage)
        {
            throw new InvalidDataException(
                $"{where}: its output [{string.Join(", ", output)}] holds {values:N0} values per image, over the limit of {MaxValuesPerImage:N0}; " +
                "use fewer filters or pool earlier.");
        }
        if (parameters > MaxParameters)
        {
            throw new InvalidDataException(
                $"{where}: the network has {parameters:N0} parameters up to this layer, over the limit of {MaxParameters:N0}; " +
                "use fewer filters or units, or pool before flattening.");
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
        // Written so that NaN, which compares false with everything, is refused too.
        if (!(rate >= 0 && rate < 1))
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
