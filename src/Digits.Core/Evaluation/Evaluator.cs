using Digits.Core.Data;
using Digits.Core.Models;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Digits.Core.Evaluation;

/// <summary>Measures a network on a labelled set: loss, accuracy and the confusion matrix.</summary>
public static class Evaluator
{
    /// <summary>The number of images per forward pass when evaluating.</summary>
    public const int DefaultBatchSize = 1000;

    /// <summary>Evaluates <paramref name="network"/> on <paramref name="data"/> in batches, in eval mode and without gradients.</summary>
    /// <param name="network">Takes <c>[N, C, H, W]</c> in [0, 1], returns logits <c>[N, classes]</c>.</param>
    /// <param name="data">The images and labels; they must fit the network's input shape and classes.</param>
    /// <param name="device">Where the network lives; batches are moved there.</param>
    /// <param name="batchSize">Images per forward pass. Defaults to <see cref="DefaultBatchSize"/>.</param>
    public static EvaluationResult Evaluate(DigitsNetwork network, MnistDataset data, Device device, int batchSize = DefaultBatchSize)
    {
        using var scope = NewDisposeScope();
        Tensor logits = Logits(network, data, device, batchSize);
        return Score(logits, data.Labels.cpu(), network.Definition.Network.Classes);
    }

    /// <summary>Loss, accuracy and confusion matrix of logits <c>[N, classes]</c> against labels <c>[N]</c>, both on the CPU.</summary>
    public static EvaluationResult Score(Tensor logits, Tensor labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        using var scope = NewDisposeScope();
        double loss = labels.shape[0] == 0 ? 0 : cross_entropy(logits, labels).ToDouble();
        var confusion = new ConfusionMatrix(classes);
        long[] predicted = logits.argmax(1).data<long>().ToArray();
        long[] actual = labels.data<long>().ToArray();
        for (int i = 0; i < predicted.Length; i++)
        {
            confusion.Add((int)actual[i], (int)predicted[i]);
        }
        return new EvaluationResult(loss, confusion.Accuracy, confusion);
    }

    /// <summary>
    /// The network's logits for every image of <paramref name="data"/>, <c>[N, classes]</c> float32 on the CPU,
    /// computed in batches in eval mode without gradients. The caller owns the tensor.
    /// </summary>
    public static Tensor Logits(DigitsNetwork network, MnistDataset data, Device device, int batchSize = DefaultBatchSize)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        data.EnsureFits(network.Definition.Network.Input, network.Definition.Network.Classes, "evaluation");
        bool wasTraining = network.training;
        network.eval();
        var batches = new List<Tensor>();
        try
        {
            using (no_grad())
            {
                for (int start = 0; start < data.Count; start += batchSize)
                {
                    using var scope = NewDisposeScope();
                    int length = Math.Min(batchSize, data.Count - start);
                    Tensor images = data.Images.narrow(0, start, length).to(device);
                    batches.Add(network.call(images).cpu().MoveToOuterDisposeScope());
                }
            }
            return batches.Count == 0
                ? zeros(0, network.Definition.Network.Classes)
                : cat(batches, 0);
        }
        finally
        {
            foreach (Tensor batch in batches)
            {
                batch.Dispose();
            }
            network.train(wasTraining);
        }
    }
}
