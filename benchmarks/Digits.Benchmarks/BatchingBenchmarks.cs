using BenchmarkDotNet.Attributes;
using Digits.Core.Data;
using static TorchSharp.torch;

namespace Digits.Benchmarks;

/// <summary>Cost of taking one shuffled batch out of the whole-tensor training set, the trainer's way.</summary>
[MemoryDiagnoser]
public class BatchingBenchmarks
{
    private MnistDataset? _train;
    private Tensor? _order;

    [Params(64, 128)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _train = MnistDataset.Load(MnistFiles.ResolveDirectory(null), MnistSplit.Train);
        _order = randperm(_train.Count);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _order?.Dispose();
        _train?.Dispose();
    }

    [Benchmark(Description = "index_select one batch of images and labels")]
    public long TakeBatch()
    {
        using var scope = NewDisposeScope();
        Tensor index = _order!.narrow(0, 1000, BatchSize);
        Tensor images = _train!.Images.index_select(0, index);
        Tensor labels = _train.Labels.index_select(0, index);
        return images.shape[0] + labels.shape[0];
    }
}
