namespace Digits.Core.Evaluation;

/// <summary>One bin of a reliability diagram: predictions whose top probability lies in [<paramref name="From"/>, <paramref name="To"/>).</summary>
/// <param name="From">Lower edge of the bin, in [0, 1].</param>
/// <param name="To">Upper edge of the bin.</param>
/// <param name="Count">Predictions in the bin.</param>
/// <param name="Confidence">Their mean top probability.</param>
/// <param name="Accuracy">The share of them that were right.</param>
public sealed record ReliabilityBin(double From, double To, int Count, double Confidence, double Accuracy);
