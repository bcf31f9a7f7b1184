namespace Digits.Web.Api;

/// <summary>The answer of <c>GET /api/model</c>.</summary>
/// <param name="Id">The model's name and the start of its weights' SHA-256.</param>
/// <param name="Architecture">The network's name, e.g. <c>digitnet</c>.</param>
/// <param name="Description">What the network is.</param>
/// <param name="Parameters">Trainable and non-trainable parameters.</param>
/// <param name="TestAccuracy">Accuracy on the 10,000 MNIST test images when it was trained, in [0, 1]; null if not measured.</param>
/// <param name="NotSureBelow">The calibrated confidence under which it answers "not sure".</param>
/// <param name="CreatedAt">When the model file was written.</param>
/// <param name="Engine">What computes the answers: <c>onnx</c> (ONNX Runtime) or <c>torch</c> (libtorch).</param>
public sealed record ModelInfo(
    string Id, string Architecture, string Description, long Parameters, double? TestAccuracy, double NotSureBelow, DateTimeOffset CreatedAt, string Engine);
