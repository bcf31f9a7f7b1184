using Digits.Core.Data;
using Digits.Core.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Digits.Core.Evaluation;

/// <summary>Measures a network on a labelled set: loss, accuracy and the confusion matrix.</summary>
public static class Evaluator
{
    /// <summary>Evaluates <paramref name="network"/> on <paramref name="data"/> in batches, in eval mode and without gradients.</summary>
    /// <param name="network">Takes <c>[N, C, H, W]</c> in [0, 1], returns logits <c>[N, classes]</c>.</param>
    /// <param name="data">The images and labels; they must fit the network's input shape and classes.</param>
    /// <param name="device">Where the network lives; batches are moved there.</param>
    /// <param name="batchSize">Images per forward pass. Defaults to 1000.</param>
    public static EvaluationResult Evaluate(DigitsNetwork network, MnistDataset data, Device device, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        data.EnsureFits(network.Definition.Network, "evaluation");
        int classes = network.Definition.Network.Classes;
        bool wasTraining = network.training;
        network.eval();
        var confusion = new ConfusionMatrix(classes);
        double lossSum = 0;
        using (no_grad())
        {
            for (int start = 0; start < data.Count; start += batchSize)
            {
                using var scope = NewDisposeScope();
                int length = Math.Min(batchSize, data.Count - start);
                Tensor images = data.Images.narrow(0, start, length).to(device);
                Tensor labels = data.Labels.narrow(0, start, length).to(device);
                Tensor logits = network.call(images);
                lossSum += cross_entropy(logits, labels, reduction: nn.Reduction.Sum).ToDouble();
                long[] predicted = logits.argmax(1).cpu().data<long>().ToArray();
                long[] actual = labels.cpu().data<long>().ToArray();
                for (int i = 0; i < length; i++)
                {
                    confusion.Add((int)actual[i], (int)predicted[i]);
                }
            }
        }
        network.train(wasTraining);
        return new EvaluationResult(data.Count == 0 ? 0 : lossSum / data.Count, confusion.Accuracy, confusion);
    }
}
