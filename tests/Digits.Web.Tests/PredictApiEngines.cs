using Digits.Onnx;

namespace Digits.Web.Tests;

/// <summary>The prediction API answered by libtorch.</summary>
public sealed class TorchPredictApiTests(TorchPredictApiTests.Torch app) : PredictApiTests(app), IClassFixture<TorchPredictApiTests.Torch>
{
    /// <summary>The app on <see cref="Engines.Torch"/>.</summary>
    public sealed class Torch() : App(Engines.Torch);
}

/// <summary>The prediction API answered by ONNX Runtime, on the model exported in memory when the app starts.</summary>
public sealed class OnnxPredictApiTests(OnnxPredictApiTests.Onnx app) : PredictApiTests(app), IClassFixture<OnnxPredictApiTests.Onnx>
{
    /// <summary>The app on <see cref="Engines.Onnx"/>.</summary>
    public sealed class Onnx() : App(Engines.Onnx);
}
