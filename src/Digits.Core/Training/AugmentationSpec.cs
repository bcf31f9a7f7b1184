using System.Globalization;
using static System.FormattableString;

namespace Digits.Core.Training;

/// <summary>The text form of an augmentation, as <c>--augment</c> and a model's recipe write it: <see cref="Parse"/> and <see cref="Describe"/>.</summary>
public sealed partial record Augmentation
{
    /// <summary>
    /// The options a spec may set, with what each takes: <c>rotation=DEGREES</c>, <c>shear=DEGREES</c>,
    /// <c>zoom=F</c> (1 − F to 1 + F, as Keras's zoom_range) or <c>zoom=LOW:HIGH</c>, <c>shift=FRACTION</c>, <c>elastic=PIXELS</c>, <c>pen=SHARE</c>,
    /// and the switches <c>flip</c>, <c>stroke</c>, <c>styles</c> (on when named, or <c>=on</c>/<c>=off</c>).
    /// </summary>
    public static IReadOnlyList<string> OptionNames { get; } = ["rotation", "shear", "zoom", "shift", "elastic", "pen", "flip", "stroke", "styles"];

    /// <summary>
    /// Reads a spec: a preset name, options, or a preset followed by options that change it, separated by commas
    /// (<c>photos,rotation=20,flip=off</c>). Returns null when the result changes nothing (<c>none</c>).
    /// </summary>
    /// <exception cref="ArgumentException">An unknown preset or option, or a value out of range; the message says which.</exception>
    public static Augmentation? Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string[] parts = spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            throw new ArgumentException($"The augmentation is empty; give a preset ({string.Join(", ", Names)}) or options, as in 'photos,rotation=20,flip=off'.", nameof(spec));
        }
        Augmentation result = new();
        int first = 0;
        if (!parts[0].Contains('=', StringComparison.Ordinal) && !OptionNames.Contains(parts[0]))
        {
            result = s_presets.TryGetValue(parts[0], out Augmentation? preset)
                ? preset
                : throw new ArgumentException(
                    $"Unknown augmentation '{parts[0]}'; start with a preset ({string.Join(", ", Names)}) or give options " +
                    $"({string.Join(", ", OptionNames)}), as in 'photos,rotation=20,flip=off'.", nameof(spec));
            first = 1;
        }
        foreach (string part in parts.Skip(first))
        {
            result = s_presets.ContainsKey(part)
                ? throw new ArgumentException($"The preset '{part}' must come first, with the options that change it after: '{part},...'.", nameof(spec))
                : result.With(part);
        }
        return result == s_presets["none"] ? null : result;
    }

    /// <summary>The spec that <see cref="Parse"/> reads back as this: a preset's name, or <see cref="Describe"/>.</summary>
    public override string ToString()
    {
        return s_presets.FirstOrDefault(preset => preset.Value == this).Key ?? Describe();
    }

    /// <summary>The options this sets, in a fixed order, as <see cref="Parse"/> reads them: <c>rotation=40,shift=0.2,flip</c>.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (RotationDegrees != 0)
        {
            parts.Add(Invariant($"rotation={RotationDegrees:R}"));
        }
        if (ShearDegrees != 0)
        {
            parts.Add(Invariant($"shear={ShearDegrees:R}"));
        }
        if (ZoomMin != 1 || ZoomMax != 1)
        {
            parts.Add(Invariant($"zoom={ZoomMin:R}:{ZoomMax:R}"));
        }
        if (ShiftFraction != 0)
        {
            parts.Add(Invariant($"shift={ShiftFraction:R}"));
        }
        if (ElasticPixels != 0)
        {
            parts.Add(Invariant($"elastic={ElasticPixels:R}"));
        }
        if (PenShare != 0)
        {
            parts.Add(Invariant($"pen={PenShare:R}"));
        }
        parts.AddRange(new[] { (HorizontalFlip, "flip"), (StrokeWidth, "stroke"), (WritingStyles, "styles") }.Where(s => s.Item1).Select(s => s.Item2));
        return string.Join(',', parts);
    }

    /// <summary>This augmentation with one <c>name=value</c> option of a spec applied.</summary>
    private Augmentation With(string option)
    {
        int equals = option.IndexOf('=', StringComparison.Ordinal);
        string name = equals < 0 ? option : option[..equals].Trim();
        string? value = equals < 0 ? null : option[(equals + 1)..].Trim();
        return name switch
        {
            "rotation" => this with { RotationDegrees = Number(name, value, 0, 180, "degrees", "15") },
            "shear" => this with { ShearDegrees = Number(name, value, 0, 60, "degrees", "15") },
            "zoom" => Zoom(value),
            "shift" => this with { ShiftFraction = Number(name, value, 0, 1, "a share of the size", "0.1") },
            "elastic" => this with { ElasticPixels = Number(name, value, 0, 10, "pixels", "1.5") },
            "pen" => this with { PenShare = Number(name, value, 0, 1, "a share of the images", "0.5") },
            "flip" => this with { HorizontalFlip = Switch(name, value) },
            "stroke" => this with { StrokeWidth = Switch(name, value) },
            "styles" => this with { WritingStyles = Switch(name, value) },
            _ => throw new ArgumentException(
                $"Unknown augmentation option '{name}'; the options are {string.Join(", ", OptionNames)}.", nameof(option)),
        };
    }

    /// <summary>The widest <c>zoom=F</c>: 0.9, zooming from 0.1 to 1.9.</summary>
    private const double MaxZoomRange = 0.9;

    private Augmentation Zoom(string? value)
    {
        string[] bounds = (value ?? "").Split(':');
        if (bounds.Length == 1)
        {
            double range = Number("zoom", value, 0, MaxZoomRange, "a share, as Keras's zoom_range: 0.2 zooms between 0.8 and 1.2", "0.2");
            return this with { ZoomMin = 1 - range, ZoomMax = 1 + range };
        }
        // The smallest factor is the one zoom=0.9 gives, 1 - 0.9, which in binary is 0.09999999999999998, not 0.1: the
        // canonical form writes that, and must read back.
        double low = Number("zoom", bounds[0], 1 - MaxZoomRange, 10, "factors", "0.8:1.2");
        double high = Number("zoom", bounds.Length == 2 ? bounds[1] : null, low, 10, "factors, the second no smaller than the first", "0.8:1.2");
        return this with { ZoomMin = low, ZoomMax = high };
    }

    private static double Number(string name, string? value, double low, double high, string unit, string example) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)
        && number >= low && number <= high
            ? number
            : throw new ArgumentException(
                Invariant($"Augmentation option {name} takes a number from {low:G4} to {high:G4} ({unit}), as in {name}={example}; received '{value}'."));

    private static bool Switch(string name, string? value) => value switch
    {
        null or "on" or "true" => true,
        "off" or "false" => false,
        _ => throw new ArgumentException($"Augmentation option {name} is a switch: write {name} or {name}=on to turn it on, {name}=off to turn it off; received '{value}'."),
    };
}
