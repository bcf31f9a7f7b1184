namespace Digits.Core.Evaluation;

/// <summary>Counts of (actual, predicted) pairs; rows are the actual class, columns the prediction.</summary>
public sealed class ConfusionMatrix
{
    private readonly long[,] _counts;

    /// <summary>An empty matrix for <paramref name="classes"/> classes.</summary>
    public ConfusionMatrix(int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        Classes = classes;
        _counts = new long[classes, classes];
    }

    /// <summary>The number of classes.</summary>
    public int Classes { get; }

    /// <summary>How many images of class <paramref name="actual"/> were predicted as <paramref name="predicted"/>.</summary>
    public long this[int actual, int predicted] => _counts[actual, predicted];

    /// <summary>All images counted.</summary>
    public long Total { get; private set; }

    /// <summary>The share of images on the diagonal.</summary>
    public double Accuracy => Total == 0 ? 0 : Enumerable.Range(0, Classes).Sum(c => _counts[c, c]) / (double)Total;

    /// <summary>Counts one prediction.</summary>
    public void Add(int actual, int predicted)
    {
        _counts[actual, predicted]++;
        Total++;
    }

    /// <summary>Precision, recall, F1 and support of each class.</summary>
    public IReadOnlyList<ClassMetrics> PerClass()
    {
        var result = new List<ClassMetrics>(Classes);
        for (int c = 0; c < Classes; c++)
        {
            long truePositives = _counts[c, c];
            long predicted = 0;
            long actual = 0;
            for (int k = 0; k < Classes; k++)
            {
                predicted += _counts[k, c];
                actual += _counts[c, k];
            }
            double precision = predicted == 0 ? 0 : truePositives / (double)predicted;
            double recall = actual == 0 ? 0 : truePositives / (double)actual;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            result.Add(new ClassMetrics(c, precision, recall, f1, (int)actual));
        }
        return result;
    }

    /// <summary>The counts as a jagged array, rows = actual.</summary>
    public long[][] ToArray() =>
        Enumerable.Range(0, Classes).Select(r => Enumerable.Range(0, Classes).Select(c => _counts[r, c]).ToArray()).ToArray();

    /// <summary>The <paramref name="count"/> mistakes made most often, as (actual, predicted, how many), most first.</summary>
    public IReadOnlyList<ConfusionPair> CostliestPairs(int count) =>
        [.. Enumerable.Range(0, Classes)
            .SelectMany(a => Enumerable.Range(0, Classes).Where(p => p != a && _counts[a, p] > 0).Select(p => new ConfusionPair(a, p, _counts[a, p])))
            .OrderByDescending(pair => pair.Count).ThenBy(pair => pair.Actual).ThenBy(pair => pair.Predicted)
            .Take(count)];
}

/// <summary>One kind of mistake and how often it was made.</summary>
/// <param name="Actual">The true class.</param>
/// <param name="Predicted">The class answered.</param>
/// <param name="Count">How many times.</param>
public sealed record ConfusionPair(int Actual, int Predicted, long Count);
