using BenchmarkDotNet.Running;
using Digits.Benchmarks;

// `train-loop [model] [rounds]` compares `digits train` with a bare TorchSharp loop, epoch for epoch;
// `predict [rounds]` times one canvas PNG through decode, preprocessing and the forward pass;
// anything else goes to BenchmarkDotNet (e.g. `--filter *Batching*`).
if (args.Length > 0 && args[0] == "train-loop")
{
    return await TrainLoopComparison.RunAsync(args.Skip(1).ToArray());
}
if (args.Length > 0 && args[0] == "predict")
{
    return PredictLatency.Run(args.Skip(1).ToArray());
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
