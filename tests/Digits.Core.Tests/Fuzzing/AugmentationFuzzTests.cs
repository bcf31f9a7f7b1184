using System.Globalization;
using CsCheck;
using Digits.Core.Training;
using Digits.Tests.Support;

namespace Digits.Core.Tests.Fuzzing;

/// <summary>
/// The <c>--augment</c> spec (<see cref="Augmentation.Parse"/>) fed specs built from its presets and options with
/// values in and out of range, and random text. The rule: an augmentation whose canonical form
/// (<see cref="Augmentation.ToString"/>) reads back as itself, or an <see cref="ArgumentException"/> saying what is wrong.
/// </summary>
public sealed class AugmentationFuzzTests
{
    /// <summary>Numbers as people and scripts write them: in range, at the ends, out of range, special, malformed.</summary>
    private static readonly Gen<string> s_numbers = Gen.Frequency(
        (4, Gen.Double[0, 1].Select(d => d.ToString("R", CultureInfo.InvariantCulture))),
        (3, Gen.Int[0, 200].Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (3, Gen.OneOf("0", "-0", "0.9", "0.1", "1", "10", "60", "180", "180.0000001", "-1", "1e-320", "1e309", "-1e309", "NaN", "Infinity", "-Infinity",
            "∞", "1,5", "0x10", "1_0", "", " ", "1e", ".", "+0.5", "0.5.5", "\u0661", "1\u00a0", "0.2:1.2", "1.2:0.8", ":", "0.1:", ":10", "0.5:0.5:0.5")));

    private static readonly Gen<string> s_options = Gen.Frequency(
        (6, Gen.Select(Gen.OneOf("rotation", "shear", "zoom", "shift", "elastic"), s_numbers).Select((name, value) => $"{name}={value}")),
        // Short decimals up to and past each option's ends (zoom=F takes 0 to 0.9, the LOW:HIGH form 0.1 to 10).
        (3, Gen.Select(Gen.OneOf("rotation", "shear", "zoom", "shift", "elastic"), Gen.Int[0, 100]).Select((name, hundredths) =>
            string.Create(CultureInfo.InvariantCulture, $"{name}={hundredths / 100.0}"))),
        (2, Gen.Select(s_numbers, s_numbers).Select((low, high) => $"zoom={low}:{high}")),
        (3, Gen.Select(Gen.OneOf("flip", "stroke", "styles"), Gen.OneOf("", "=on", "=off", "=true", "=false", "=ON", "=1", "=", "=maybe")).Select((name, value) => name + value)),
        (1, Gen.OneOf("none", "digits", "photos", "Digits", "spin=3", "rotation", "=", "==", "rotation==1", " rotation = 5 ", "rotation=5=6")));

    /// <summary>A spec: maybe a preset, then zero to five options, joined by commas with stray spaces and empty parts.</summary>
    private static readonly Gen<string> s_specs = Gen.Select(
            Gen.OneOf<string?>(null, null, "none", "digits", "photos"),
            s_options.Array[0, 5],
            Gen.OneOf(",", ", ", " , ", ",,"))
        .Select((preset, options, comma) => string.Join(comma, preset is null ? options : [preset, .. options]));

    [Fact]
    public void Parse_GeneratedSpecs_ReadBackFromTheirCanonicalForm_OrSayWhatIsWrong()
    {
        Gen.Frequency((8, s_specs), (1, Gen.String[0, 40]), (1, Gen.String["rotaionzfphs=,:.0123456789 -"].Where(s => s.Length < 60))).Sample(spec =>
        {
            Augmentation? parsed = null;
            FuzzRun.Outcome(() => parsed = Augmentation.Parse(spec), typeof(ArgumentException));
            if (parsed is null)
            {
                return;
            }
            // Model files keep this form, and `--resume` reads it back.
            string canonical = parsed.ToString();
            Assert.Equal(parsed, Augmentation.Parse(canonical));
            Assert.True(double.IsFinite(parsed.RotationDegrees) && double.IsFinite(parsed.ShearDegrees) && double.IsFinite(parsed.ShiftFraction) && double.IsFinite(parsed.ElasticPixels));
            Assert.InRange(parsed.ZoomMin, double.Epsilon, parsed.ZoomMax);
        }, iter: FuzzRun.Iterations(2_000), seed: FuzzRun.Seed("0N0XlAugment"), threads: 1, print: spec => $"'{spec}'");
    }

    [Fact]
    public void Parse_VeryLongSpecs_AnswerQuickly()
    {
        Gen.Select(Gen.Int[1, 20_000], Gen.OneOf("rotation=5,", ",", "flip,", "x")).Sample((count, part) =>
        {
            string spec = string.Concat(Enumerable.Repeat(part, count));
            FuzzRun.Outcome(() => Augmentation.Parse(spec), typeof(ArgumentException));
        }, iter: FuzzRun.Iterations(40), seed: FuzzRun.Seed("0N0XlAugLong"), threads: 1, print: c => $"{c.Item1} x '{c.Item2}'");
    }
}
