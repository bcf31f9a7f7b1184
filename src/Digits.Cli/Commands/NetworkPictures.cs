using Digits.Core.Inference;
using Digits.Core.Models;
using Digits.Core.Persistence;
using Digits.Core.Preprocessing;
using Digits.Plots;
using TorchSharp;
using static TorchSharp.torch;

namespace Digits.Cli.Commands;

/// <summary>The pictures of a network's insides that <c>digits plot filters|activations</c> draw.</summary>
internal static class NetworkPictures
{
    /// <summary>Feature maps shown per convolution, so that wide layers stay readable.</summary>
    private const int MapsPerLayer = 16;

    public static void Filters(SavedModel saved, PlotCommand.PlotOptions options)
    {
        using DigitsNetwork network = saved.CreateNetwork();
        LayerInfo first = network.Layers.FirstOrDefault(l => l.Source is Conv2dLayer && !l.InlineActivation)
            ?? throw new ArgumentException($"'{saved.Path}' has no convolution, so it has no kernels to show.");
        using var scope = NewDisposeScope();
        // [filters, channels, k, k]; the first channel of each filter (MNIST has one).
        Tensor weight = network.state_dict()[$"{DigitsNetwork.LayersPrefix}{first.Name}.weight"].select(1, 0);
        SampleGrid.Cell[] cells = [.. Enumerable.Range(0, (int)weight.shape[0]).Select(f => Grey(weight[f], $"#{f + 1}"))];
        FigureFile.Write(options.Output, options.Width, options.Height, canvas => SampleGrid.Draw(canvas, options.Width, options.Height, cells));
    }

    public static void Activations(SavedModel saved, PlotCommand.PlotOptions options)
    {
        PreparedPicture picture;
        using (Predictor predictor = Predictor.From(saved))
        {
            // Read as the model reads pictures: a digit prepared as MNIST was, or a folder picture resized.
            picture = predictor.ReadFile(options.Image!);
        }
        if (!picture.IsReadable)
        {
            throw new ArgumentException($"'{options.Image}': {picture.Detail}");
        }
        using DigitsNetwork network = saved.CreateNetwork();
        using var scope = NewDisposeScope();
        var cells = new List<SampleGrid.Cell>();
        foreach ((string layer, Tensor maps) in network.FeatureMaps(tensor(picture.Pixels, [1, .. saved.Manifest.Network.Input.Select(d => (long)d)])))
        {
            for (int m = 0; m < Math.Min(MapsPerLayer, maps.shape[1]); m++)
            {
                cells.Add(Grey(maps[0, m], $"{layer} #{m + 1}"));
            }
        }
        if (cells.Count == 0)
        {
            throw new ArgumentException($"'{saved.Path}' has no convolution, so it has no feature maps to show.");
        }
        FigureFile.Write(options.Output, options.Width, options.Height, canvas => SampleGrid.Draw(canvas, options.Width, options.Height, cells));
    }

    /// <summary>A 2-D tensor as a grey cell, stretched from its minimum (black) to its maximum (white).</summary>
    private static SampleGrid.Cell Grey(Tensor map, string title)
    {
        Tensor low = map.min();
        using Scalar tiny = 1e-8.ToScalar();
        Tensor range = map.max().sub(low).clamp_min(tiny);
        float[] pixels = map.sub(low).div(range).contiguous().data<float>().ToArray();
        return new SampleGrid.Cell(pixels, (int)map.shape[1], (int)map.shape[0], title);
    }
}
