using System.Globalization;
using TorchSharp;
using static System.FormattableString;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Digits.Core.Training;

/// <summary>
/// Random changes applied to each training batch, on the batch's own device and in a handful of batched
/// tensor operations: writing styles, stroke-width changes, horizontal flips, then one resampling for the
/// affine transform and the elastic distortion together. Randomness comes from torch's global generator, which the
/// trainer seeds per epoch, so runs repeat exactly.
/// </summary>
public sealed record Augmentation
{

    /// <summary>Rotation up to this many degrees either way. Defaults to 0.</summary>
    public double RotationDegrees { get; init; }

    /// <summary>Horizontal shear (slant) up to this many degrees either way. Defaults to 0.</summary>
    public double ShearDegrees { get; init; }

    /// <summary>Smallest zoom factor (above 1 enlarges). Defaults to 1.</summary>
    public double ZoomMin { get; init; } = 1;

    /// <summary>Largest zoom factor. Defaults to 1.</summary>
    public double ZoomMax { get; init; } = 1;

    /// <summary>Shift up to this share of the width and height either way. Defaults to 0.</summary>
    public double ShiftFraction { get; init; }

    /// <summary>Mirror half of the images left to right; wrong for digits. Defaults to false.</summary>
    public bool HorizontalFlip { get; init; }

    /// <summary>Largest elastic displacement, in pixels; 0 for none. Defaults to 0.</summary>
    public double ElasticPixels { get; init; }

    /// <summary>
    /// Thin or thicken strokes: each image is eroded, left alone or dilated by half a pixel on every side,
    /// with equal chances. Assumes bright ink on a dark background, as MNIST. Defaults to false.
    /// </summary>
    public bool StrokeWidth { get; init; }

    /// <summary>
    /// Add the strokes that many people outside North America write and MNIST rarely shows: a long flag on
    /// half of the 1s (people then read a flagless MNIST 7 as their 1) and a crossbar on a third of the 7s.
    /// Needs the labels and MNIST's digit classes. Defaults to false.
    /// </summary>
    public bool WritingStyles { get; init; }

    /// <summary>The elastic field is drawn on this coarse grid and interpolated, which smooths it (MNIST: about 7 px between knots).</summary>
    private const int ElasticGrid = 5;

    /// <summary>
    /// Handwriting as people draw it: rotation ±15°, slant ±15°, zoom 0.8–1.2, shifts of ±10%, elastic
    /// displacement up to 1.5 px, thinner or thicker strokes, and flagged 1s and crossed 7s.
    /// </summary>
    public static Augmentation Digits { get; } = new()
    {
        RotationDegrees = 15,
        ShearDegrees = 15,
        ZoomMin = 0.8,
        ZoomMax = 1.2,
        ShiftFraction = 0.1,
        ElasticPixels = 1.5,
        StrokeWidth = true,
        WritingStyles = true,
    };

    /// <summary>
    /// Photographs, as the Keras cats-vs-dogs tutorial augments them: rotation ±40°, shear ±11° (0.2 radians), zoom
    /// 0.8–1.2, shifts of ±20%, and half the pictures mirrored; edges extend the border, as Keras's "nearest" fill.
    /// </summary>
    public static Augmentation Photos { get; } = new()
    {
        RotationDegrees = 40,
        ShearDegrees = 11.5,
        ZoomMin = 0.8,
        ZoomMax = 1.2,
        ShiftFraction = 0.2,
        HorizontalFlip = true,
    };

    /// <summary>The presets by name. Declared after <see cref="Digits"/> and <see cref="Photos"/>, which it holds.</summary>
    private static readonly Dictionary<string, Augmentation> s_presets = new(StringComparer.Ordinal)
    {
        ["none"] = new(),
        ["digits"] = Digits,
        ["photos"] = Photos,
    };

    /// <summary>The presets: <c>none</c>, <c>digits</c> for handwriting, <c>photos</c> for image folders. See <see cref="Parse"/> for changing them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. s_presets.Keys];

    /// <summary>
    /// The options a spec may set, with what each takes: <c>rotation=DEGREES</c>, <c>shear=DEGREES</c>,
    /// <c>zoom=F</c> (1 − F to 1 + F, as Keras's zoom_range) or <c>zoom=LOW:HIGH</c>, <c>shift=FRACTION</c>, <c>elastic=PIXELS</c>,
    /// and the switches <c>flip</c>, <c>stroke</c>, <c>styles</c> (on when named, or <c>=on</c>/<c>=off</c>).
    /// </summary>
    public static IReadOnlyList<string> OptionNames { get; } = ["rotation", "shear", "zoom", "shift", "elastic", "flip", "stroke", "styles"];

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

    /// <summary>
    /// Returns an augmented copy of <paramref name="images"/>, <c>[N, C, H, W]</c> float in [0, 1]; the input is not changed.
    /// Call it inside the batch's dispose scope.
    /// </summary>
    /// <param name="images">The batch.</param>
    /// <param name="labels"><c>[N]</c> int64 classes, needed by <see cref="WritingStyles"/>; ignored otherwise.</param>
    public Tensor Apply(Tensor images, Tensor? labels = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4)
        {
            throw new ArgumentException($"Augmentation expects [N, C, H, W] images; received [{string.Join(", ", images.shape)}].", nameof(images));
        }
        Tensor result = images;
        if (WritingStyles && labels is not null)
        {
            result = WritingStyle.Apply(result, labels);
        }
        if (StrokeWidth)
        {
            result = InkThickness.Change(result);
        }
        if (HorizontalFlip)
        {
            using Scalar half = 0.5.ToScalar();
            Tensor flip = rand([result.shape[0], 1, 1, 1], device: result.device).lt(half);
            result = where(flip, result.flip(3), result);
        }
        return Resample(result);
    }

    /// <summary>One bilinear resampling for rotation, shear, zoom, shift and the elastic field.</summary>
    private Tensor Resample(Tensor images)
    {
        long n = images.shape[0];
        long height = images.shape[2];
        long width = images.shape[3];
        Device device = images.device;
        using Scalar radiansPerDegree = (Math.PI / 180).ToScalar();
        Tensor angle = Uniform(n, -RotationDegrees, RotationDegrees, device).mul_(radiansPerDegree);
        Tensor shear = Uniform(n, -ShearDegrees, ShearDegrees, device).mul_(radiansPerDegree).tan_();
        // The grid maps output to input coordinates, so dividing by the zoom enlarges the image.
        Tensor inverseZoom = Uniform(n, ZoomMin, ZoomMax, device).reciprocal_();
        // Normalised coordinates span 2 across the image, so a shift of f of the size is 2f.
        Tensor shiftX = Uniform(n, -ShiftFraction * 2, ShiftFraction * 2, device);
        Tensor shiftY = Uniform(n, -ShiftFraction * 2, ShiftFraction * 2, device);
        Tensor cos = angle.cos().mul_(inverseZoom);
        Tensor sin = angle.sin().mul_(inverseZoom);
        // [cos -sin; sin cos] · [1 shear; 0 1], scaled.
        Tensor theta = stack(
        [
            stack([cos, cos.mul(shear).sub_(sin), shiftX], 1),
            stack([sin, sin.mul(shear).add_(cos), shiftY], 1),
        ], 1);
        Tensor grid = affine_grid(theta, [n, images.shape[1], height, width], align_corners: false);
        if (ElasticPixels > 0)
        {
            // From [0, 1) to [-1, 1).
            using Scalar two = 2.ToScalar();
            using Scalar one = 1.ToScalar();
            Tensor coarse = rand([n, 2, ElasticGrid, ElasticGrid], device: device).mul_(two).sub_(one);
            Tensor field = interpolate(coarse, size: [height, width], mode: InterpolationMode.Bicubic, align_corners: true);
            Tensor scale = tensor(new[] { (float)(ElasticPixels * 2 / width), (float)(ElasticPixels * 2 / height) }, device: device);
            grid = grid.add(field.permute(0, 2, 3, 1).mul(scale));
        }
        return grid_sample(images, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Border, align_corners: false);
    }

    /// <summary><paramref name="n"/> values drawn uniformly from [<paramref name="low"/>, <paramref name="high"/>).</summary>
    internal static Tensor Uniform(long n, double low, double high, Device device)
    {
        using Scalar range = (high - low).ToScalar();
        using Scalar start = low.ToScalar();
        return rand(n, device: device).mul_(range).add_(start);
    }
}
