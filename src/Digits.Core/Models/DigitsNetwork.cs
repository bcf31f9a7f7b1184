using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Digits.Core.Models;

/// <summary>
/// A network built from a <see cref="ModelDefinition"/>: it takes images <c>[N, C, H, W]</c>, float32 in [0, 1],
/// applies the definition's normalisation, and returns logits <c>[N, classes]</c>, for a sigmoid output too. Always created on the CPU.
/// </summary>
public sealed class DigitsNetwork : Module<Tensor, Tensor>
{
    /// <summary>The start of every key in the saved weights ("layers.conv2d_1.weight"): the name of the field below.</summary>
    public const string LayersPrefix = nameof(layers) + ".";

    private readonly Sequential layers;
    private readonly Normalization? _normalization;
    private readonly bool _sigmoid;

    /// <summary>Builds the layers of <paramref name="definition"/> with fresh weights.</summary>
    public DigitsNetwork(ModelDefinition definition) : base(definition?.Name ?? throw new ArgumentNullException(nameof(definition)))
    {
        Definition = definition;
        (layers, Layers) = NetworkBuilder.Build(definition.Network);
        _normalization = definition.Normalization;
        _sigmoid = definition.Network.Output == NetworkSpec.Sigmoid;
        RegisterComponents();
    }

    /// <summary>What this network was built from.</summary>
    public ModelDefinition Definition { get; }

    /// <summary>Each layer's name, output shape and parameter counts, in order.</summary>
    public IReadOnlyList<LayerInfo> Layers { get; }

    /// <summary>
    /// The logits <c>[N, classes]</c>. A sigmoid output's one logit z becomes the pair [0, z]: their softmax is
    /// [1 − σ(z), σ(z)], so cross-entropy on the pair is binary cross-entropy on z, and everything that reads class
    /// logits (the loss, accuracy, calibration, prediction) reads a binary network too.
    /// </summary>
    public override Tensor forward(Tensor input)
    {
        Tensor output;
        if (_normalization is null)
        {
            output = layers.forward(input);
        }
        else
        {
            using Tensor normalized = Normalize(input);
            output = layers.forward(normalized);
        }
        if (!_sigmoid)
        {
            return output;
        }
        using (output)
        {
            using Tensor zero = zeros_like(output);
            return cat([zero, output], 1);
        }
    }

    /// <summary>
    /// Runs <paramref name="input"/> through the layers one by one, in eval mode without gradients, and returns each
    /// layer's name and output, to see what the network sees. The tensors belong to the caller's dispose scope.
    /// </summary>
    public IReadOnlyList<(string Layer, Tensor Output)> Trace(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        // A network already in eval mode (the one serving requests) is left alone: flipping its mode while other
        // threads run it would race with them.
        bool wasTraining = training;
        if (wasTraining)
        {
            eval();
        }
        try
        {
            using var noGrad = no_grad();
            var outputs = new List<(string, Tensor)>();
            Tensor x = _normalization is null ? input : Normalize(input);
            foreach ((string name, nn.Module module) in layers.named_children())
            {
                x = ((Module<Tensor, Tensor>)module).call(x);
                outputs.Add((name, x));
            }
            return outputs;
        }
        finally
        {
            if (wasTraining)
            {
                train();
            }
        }
    }

    /// <summary>
    /// Each convolution's feature maps for <paramref name="input"/>: its output after the batch norms and activations
    /// that follow it, before pooling, as [N, C, H, W]. Runs <see cref="Trace"/>; the tensors belong to the caller's
    /// dispose scope.
    /// </summary>
    public IReadOnlyList<(string Layer, Tensor Maps)> FeatureMaps(Tensor input)
    {
        IReadOnlyList<(string Layer, Tensor Output)> trace = Trace(input);
        var maps = new List<(string Layer, Tensor Maps)>();
        string? convolution = null;
        Tensor? latest = null;
        for (int i = 0; i < trace.Count; i++)
        {
            LayerInfo layer = Layers[i];
            bool keepsMaps = layer.InlineActivation || layer.Source is BatchNormLayer or ReluLayer or TanhLayer or SigmoidLayer or GeluLayer;
            if (convolution is not null && !keepsMaps)
            {
                maps.Add((convolution, latest!));
                convolution = null;
            }
            if (layer.Source is Conv2dLayer && !layer.InlineActivation)
            {
                convolution = layer.Name;
            }
            latest = trace[i].Output;
        }
        if (convolution is not null)
        {
            maps.Add((convolution, latest!));
        }
        return maps;
    }

    /// <summary>A new tensor: <paramref name="input"/> with the definition's normalisation applied.</summary>
    private Tensor Normalize(Tensor input)
    {
        // Explicit scalars, disposed after the calls: the temporary of an implicit double-to-Scalar conversion has a
        // finalizer and no other reference once its handle is passed, so a garbage collection during the native
        // call could free it while libtorch reads it (seen under concurrent web requests as "Unknown scalar type").
        using Scalar mean = _normalization!.Mean.ToScalar();
        using Scalar std = _normalization.Std.ToScalar();
        return input.sub(mean).div_(std);
    }
}
