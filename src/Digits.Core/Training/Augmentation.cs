using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Digits.Core.Training;

/// <summary>
/// Random changes applied to each training batch, on the batch's own device and in a handful of batched
/// tensor operations: pen redraws, writing styles, stroke-width changes, horizontal flips, then one resampling for the
/// affine transform and the elastic distortion together. Randomness comes from torch's global generator, which the
/// trainer seeds per epoch, so runs repeat exactly.
/// </summary>
public sealed partial record Augmentation
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

    /// <summary>
    /// Redraw this share of the images from their skeletons with a round pen 2.1 to 3.5 px wide, as a canvas draws
    /// strokes (<see cref="PenRedraw"/>). Grey pictures only. Defaults to 0.
    /// </summary>
    public double PenShare { get; init; }

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
    /// Returns an augmented copy of <paramref name="images"/>, <c>[N, C, H, W]</c> float in [0, 1]; the input is not changed.
    /// Call it inside the batch's dispose scope.
    /// </summary>
    /// <param name="images">The batch.</param>
    /// <param name="labels"><c>[N]</c> int64 classes, needed by <see cref="WritingStyles"/>; ignored otherwise.</param>
    /// <param name="penDistances">The images' <see cref="PenRedraw.Distances"/> for <see cref="PenShare"/>, found once for a whole data set; found here when null.</param>
    public Tensor Apply(Tensor images, Tensor? labels = null, Tensor? penDistances = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4)
        {
            throw new ArgumentException($"Augmentation expects [N, C, H, W] images; received [{string.Join(", ", images.shape)}].", nameof(images));
        }
        Tensor result = images;
        if (PenShare > 0)
        {
            result = PenRedraw.Apply(result, penDistances ?? PenRedraw.Distances(result), PenShare);
        }
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
