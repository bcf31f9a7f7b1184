using System.Text.Json;
using Spectre.Console;

namespace Digits.Cli;

/// <summary>Writes results as JSON for scripts.</summary>
public static class JsonOutput
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>Writes <paramref name="value"/> as one JSON document.</summary>
    public static void Write(IAnsiConsole console, object value)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(value, s_options));
    }
}
