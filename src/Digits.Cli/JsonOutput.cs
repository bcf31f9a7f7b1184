using System.Text.Json;
using Digits.Core.Evaluation;
using Spectre.Console;

namespace Digits.Cli;

/// <summary>Writes results as JSON for scripts.</summary>
public static class JsonOutput
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private static readonly JsonSerializerOptions s_lineOptions = new(JsonSerializerDefaults.Web);

    /// <summary>Writes <paramref name="value"/> as one JSON document.</summary>
    public static void Write(IAnsiConsole console, object value)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(value, s_options));
    }

    /// <summary>Writes <paramref name="value"/> as one line of JSON Lines.</summary>
    public static void WriteLine(IAnsiConsole console, object value)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(value, s_lineOptions));
    }

    /// <summary>The JSON shape of a score on pictures: counts, accuracies, per-writer figures and the confusion matrix.</summary>
    public static object Score(HandwritingScore score)
    {
        ArgumentNullException.ThrowIfNull(score);
        return new
        {
            images = score.Confusion.Total,
            accuracy = score.Accuracy,
            notSure = score.NotSure,
            answeredAccuracy = score.AnsweredAccuracy,
            byWriter = score.ByGroup,
            costliest = score.Confusion.CostliestPairs(Tables.CostliestShown),
            coverage = score.Coverage,
            confusion = score.Confusion.ToArray(),
        };
    }
}
