namespace Digits.Onnx;

/// <summary>How an <see cref="OnnxEngine"/> sets up its ONNX Runtime session.</summary>
public sealed class OnnxEngineOptions
{
    /// <summary>
    /// Threads one run may use. Defaults to 1: a web server answers many one-image requests at once, one per core,
    /// and a second thread per request would only compete with them.
    /// </summary>
    public int IntraOpThreads { get; set; } = 1;

    /// <summary>How much ONNX Runtime optimises the graph when the session starts. Defaults to <see cref="OnnxOptimization.All"/>.</summary>
    public OnnxOptimization Optimization { get; set; } = OnnxOptimization.All;
}
