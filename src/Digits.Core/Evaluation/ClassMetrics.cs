namespace Digits.Core.Evaluation;

/// <summary>Per-class figures: how often the class was right when predicted, and how often it was found.</summary>
public sealed record ClassMetrics(int Class, double Precision, double Recall, double F1, int Support);
