using System.Diagnostics;
using Digits.Core.Data;
using Digits.Core.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Digits.Benchmarks;

/// <summary>
/// The reference: the plainest TorchSharp epoch over the same whole-tensor batches the trainer uses,
/// with no callbacks, schedule, metrics or progress.
/// </summary>
internal static class BareLoop
{
    /// <summary>Trains one epoch of <paramref name="definition"/>'s network with its recipe; returns the seconds taken.</summary>
    public static double Epoch(ModelDefinition definition, MnistDataset data, long seed)
    {
        random.manual_seed(seed);
        using var network = new DigitsNetwork(definition);
        using optim.Optimizer optimizer = Digits.Core.Training.OptimizerFactory.Create(definition.Recipe, network.parameters());
        int batchSize = definition.Recipe.BatchSize;
        network.train();
        using Tensor order = randperm(data.Count);
        var clock = Stopwatch.StartNew();
        for (int start = 0; start < data.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            Tensor index = order.narrow(0, start, Math.Min(batchSize, data.Count - start));
            Tensor images = data.Images.index_select(0, index);
            Tensor labels = data.Labels.index_select(0, index);
            optimizer.zero_grad();
            Tensor loss = cross_entropy(network.call(images), labels);
            loss.backward();
            optimizer.step();
        }
        return clock.Elapsed.TotalSeconds;
    }
}
