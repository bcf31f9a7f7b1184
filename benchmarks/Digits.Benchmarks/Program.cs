using BenchmarkDotNet.Running;
using Digits.Benchmarks;

// `train-loop [model] [rounds]` compares `digits train` with a bare TorchSharp loop, epoch for epoch;
// `predict [rounds]` times one canvas PNG through decode, preprocessing and the forward pass;
// `onnx [rounds]` times one prepared image through libtorch and through the ONNX export at each optimisation level, then batch throughput;
// `pen [rounds]` times the pen redraw's skeletons of MNIST's training set and an epoch's augmentation with and without it;
// `worst-request [rounds]` times the costliest request bodies the web app's limits let through;
// `canvas-png FILE` writes a pen-tablet digit as a browser canvas exports it, for the load run (benchmarks/load/run);
// `canvas-folder STROKES OUT` draws every pen-tablet digit of a JSON Lines file as a canvas PNG into OUT/0-9 (benchmarks/fine-tune/run);
// anything else goes to BenchmarkDotNet (e.g. `--filter *Batching*`).
if (args.Length > 0 && args[0] == "train-loop")
{
    return TrainLoopComparison.Run(args.Skip(1).ToArray());
}
if (args.Length > 0 && args[0] == "predict")
{
    return PredictLatency.Run(args.Skip(1).ToArray());
}
if (args.Length > 0 && args[0] == "onnx")
{
    return OnnxLatency.Run(args.Skip(1).ToArray());
}
if (args.Length > 0 && args[0] == "pen")
{
    return PenRedrawCost.Run(args.Skip(1).ToArray());
}
if (args.Length > 0 && args[0] == "worst-request")
{
    return WorstRequest.Run(args.Skip(1).ToArray());
}
if (args.Length == 2 && args[0] == "canvas-png")
{
    return PredictLatency.WriteCanvasPng(args[1]);
}
if (args.Length == 3 && args[0] == "canvas-folder")
{
    return PredictLatency.WriteCanvasFolder(args[1], args[2]);
}
BenchmarkSwitcher.FromAssembly(typeof(PredictLatency).Assembly).Run(args);
return 0;
