using Digits.Core.Data;
using Digits.Tests.Support;

namespace Digits.Core.Tests.Support;

/// <summary>Real MNIST sets, read once per test process.</summary>
public static class Mnist
{
    private static readonly Lazy<MnistDataset> s_train = new(() => MnistDataset.Load(SharedMnist.Folder, MnistSplit.Train));
    private static readonly Lazy<MnistDataset> s_test = new(() => MnistDataset.Load(SharedMnist.Folder, MnistSplit.Test));

    /// <summary>The 60,000 training images; shared, never dispose.</summary>
    public static MnistDataset Train => s_train.Value;

    /// <summary>The 10,000 test images; shared, never dispose.</summary>
    public static MnistDataset Test => s_test.Value;

    /// <summary>The first <paramref name="count"/> training images, as a new dataset the caller disposes.</summary>
    public static MnistDataset TrainHead(int count) =>
        new(Train.Images.narrow(0, 0, count).clone(), Train.Labels.narrow(0, 0, count).clone());
}
