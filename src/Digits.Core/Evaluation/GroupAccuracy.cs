namespace Digits.Core.Evaluation;

/// <summary>The accuracy on one group of pictures, such as one writer's digits.</summary>
public sealed record GroupAccuracy(string Group, int Count, double Accuracy);
