using System.Diagnostics;
using System.Globalization;

namespace Digits.Tests.Support;

/// <summary>
/// How long the fuzz properties run, and the one rule they all check. By default each property runs a short, fixed
/// number of cases from a fixed seed, so the default test run stays quick and a failure reproduces; set
/// <c>DIGITS_FUZZ_ITERATIONS=N</c> for a soak of N cases per property, from <c>DIGITS_FUZZ_SEED</c> when set, else from
/// a fresh seed. On a failure CsCheck prints the seed of the failing case and the smallest input it shrank to.
/// </summary>
public static class FuzzRun
{
    /// <summary>The environment variable that sets the number of cases per property (a soak).</summary>
    public const string IterationsVariable = "DIGITS_FUZZ_ITERATIONS";

    /// <summary>The environment variable that sets the seed (a CsCheck seed, as a failure prints it).</summary>
    public const string SeedVariable = "DIGITS_FUZZ_SEED";

    /// <summary>
    /// The longest one case may take before it counts as a hang. Generous, because the test machines are shared and
    /// slow; every parser's refusals take milliseconds.
    /// </summary>
    public static TimeSpan CaseLimit { get; } = TimeSpan.FromSeconds(20);

    /// <summary>True when <c>DIGITS_FUZZ_ITERATIONS</c> asks for a soak.</summary>
    public static bool Soak => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(IterationsVariable));

    /// <summary>The number of cases to run: <paramref name="defaultCount"/>, or <c>DIGITS_FUZZ_ITERATIONS</c> when set.</summary>
    public static long Iterations(long defaultCount)
    {
        string? text = Environment.GetEnvironmentVariable(IterationsVariable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultCount;
        }
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long count) && count > 0
            ? count
            : throw new InvalidOperationException($"{IterationsVariable} must be a positive whole number of cases; received '{text}'.");
    }

    /// <summary>
    /// The seed to start from: <c>DIGITS_FUZZ_SEED</c> when set; otherwise <paramref name="fixedSeed"/> in the default
    /// run, and null (a fresh seed, printed on failure) in a soak, so that a soak explores beyond the default cases.
    /// </summary>
    public static string? Seed(string fixedSeed)
    {
        string? seed = Environment.GetEnvironmentVariable(SeedVariable);
        if (!string.IsNullOrWhiteSpace(seed))
        {
            return seed.Trim();
        }
        return Soak ? null : fixedSeed;
    }

    /// <summary>
    /// Runs one case under the rule "a clear, typed error or a correct result": returns null when
    /// <paramref name="run"/> completes (the caller then checks the result), or the exception when it throws one of
    /// <paramref name="expected"/> (or a type derived from one) with a message. Any other exception escapes, and so does
    /// a case that runs past <see cref="CaseLimit"/>: CsCheck then shrinks the input and prints it.
    /// </summary>
    public static Exception? Outcome(Action run, params Type[] expected)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(expected);
        var clock = Stopwatch.StartNew();
        Exception? refusal = null;
        try
        {
            run();
        }
        catch (Exception e) when (expected.Any(type => type.IsInstanceOfType(e)))
        {
            refusal = e;
        }
        if (clock.Elapsed > CaseLimit)
        {
            Assert.Fail($"The case took {clock.Elapsed.TotalSeconds:F1} s, over the {CaseLimit.TotalSeconds:F0} s a case may take.");
        }
        if (refusal is not null && string.IsNullOrWhiteSpace(refusal.Message))
        {
            Assert.Fail($"A {refusal.GetType().Name} was thrown without a message.");
        }
        return refusal;
    }
}
