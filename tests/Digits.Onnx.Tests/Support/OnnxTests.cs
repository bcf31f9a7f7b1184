namespace Digits.Onnx.Tests.Support;

/// <summary>
/// The tests seed libtorch's global generator and each keeps both cores busy with whole test sets, so they run one
/// at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OnnxTests
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Onnx";
}
