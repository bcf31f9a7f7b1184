using Digits.Core.Evaluation;

namespace Digits.Core.Tests.Evaluation;

/// <summary>The costliest confusion pairs, as evaluate names them.</summary>
public sealed class ConfusionPairTests
{
    [Fact]
    public void CostliestPairs_SomeMistakes_ListsTheOffDiagonalCountsMostFirst()
    {
        var confusion = new ConfusionMatrix(10);
        (int Actual, int Predicted, int Times)[] counts = [(7, 7, 50), (7, 2, 4), (1, 7, 9), (0, 8, 4), (3, 5, 1)];
        foreach ((int actual, int predicted, int times) in counts)
        {
            for (int i = 0; i < times; i++)
            {
                confusion.Add(actual, predicted);
            }
        }

        IReadOnlyList<ConfusionPair> pairs = confusion.CostliestPairs(3);

        Assert.Equal([new ConfusionPair(1, 7, 9), new ConfusionPair(0, 8, 4), new ConfusionPair(7, 2, 4)], pairs);
        Assert.Equal(4, confusion.CostliestPairs(10).Count);
    }
}
