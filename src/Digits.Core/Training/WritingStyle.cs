using TorchSharp;
using static TorchSharp.torch;

namespace Digits.Core.Training;

/// <summary>
/// Draws the strokes of common writing styles that MNIST lacks onto batches of MNIST-like digits (white ink on
/// black, 28x28), as anti-aliased line segments placed from each digit's own ink: a flag down-left from the top
/// of a 1, a bar at the foot of a 1, a crossbar through the middle of a 7's stem, and a slash or a dot through a 0.
/// The shares are guesses at a mixed population of writers: the European flag on most 1s written outside North
/// America, bars on 7s where 1s carry flags, slashed zeros among engineers and in parts of Europe.
/// </summary>
internal static class WritingStyle
{
    private const int Zero = 0;
    private const int One = 1;
    private const int Seven = 7;
    private const double FlagShare = 0.5;
    private const double FootShare = 0.15;
    private const double BarShare = 0.33;
    private const double SlashShare = 0.15;
    private const double DotShare = 0.05;

    /// <summary>Half the drawn line's width plus the half-pixel of anti-aliasing: about MNIST's 2.7 px strokes.</summary>
    private const float Reach = 1.6f;

    public static Tensor Apply(Tensor images, Tensor labels)
    {
        using var s = new ScalarScope();
        Scalar radiansPerDegree = s.Of(Math.PI / 180);
        long n = images.shape[0];
        long height = images.shape[2];
        long width = images.shape[3];
        Device device = images.device;
        Tensor ink = images.amax([1]).gt(s.Of(0.5));
        Tensor rows = ink.any(2);
        Tensor rowIndex = arange(s.Of(height), device: device).to_type(ScalarType.Float32);
        // First and last inked rows (argmax gives the first maximum).
        Tensor top = rows.to_type(ScalarType.Int32).argmax(1).to_type(ScalarType.Float32);
        Tensor bottom = rows.flip(1).to_type(ScalarType.Int32).argmax(1).to_type(ScalarType.Float32).neg().add(s.Of(height - 1));
        Tensor inkHeight = bottom.sub(top).clamp_min(s.Of(1));

        Tensor flagged = Chosen(labels, One, FlagShare);
        Tensor footed = Chosen(labels, One, FootShare);
        Tensor barred = Chosen(labels, Seven, BarShare);
        Tensor slashed = Chosen(labels, Zero, SlashShare);
        Tensor dotted = Chosen(labels, Zero, DotShare).logical_and(slashed.logical_not());

        // The flag starts at the top of the stem and runs down-left at 20-50 degrees, a quarter to 45% of the height long.
        Tensor flagX = InkColumn(ink, rowIndex, top, top.add(s.Of(2)));
        Tensor flagAngle = Augmentation.Uniform(n, 20, 50, device).mul_(radiansPerDegree);
        Tensor flagLength = inkHeight.mul(Augmentation.Uniform(n, 0.25, 0.45, device));
        Tensor flag = Segment(flagX, top, flagX.sub(flagLength.mul(flagAngle.cos())), top.add(flagLength.mul(flagAngle.sin())), height, width);

        // The foot bar sits on the last row of the stem, 40-60% of the height wide, within 5 degrees of level.
        Tensor footX = InkColumn(ink, rowIndex, bottom.sub(s.Of(2)), bottom);
        Tensor halfFoot = inkHeight.mul(Augmentation.Uniform(n, 0.2, 0.3, device));
        Tensor footTilt = Augmentation.Uniform(n, -5, 5, device).mul_(radiansPerDegree).tan_();
        Tensor foot = Segment(footX.sub(halfFoot), bottom.add(halfFoot.mul(footTilt)), footX.add(halfFoot), bottom.sub(halfFoot.mul(footTilt)), height, width);

        // The bar crosses the stem near mid-height, about 40% of the height long, within 10 degrees of level.
        Tensor middle = top.add(bottom).div(s.Of(2)).add(Augmentation.Uniform(n, -1.5, 1.5, device));
        Tensor barX = InkColumn(ink, rowIndex, middle.sub(s.Of(1)), middle.add(s.Of(1)));
        Tensor halfBar = inkHeight.mul(Augmentation.Uniform(n, 0.15, 0.25, device));
        Tensor barTilt = Augmentation.Uniform(n, -10, 10, device).mul_(radiansPerDegree).tan_();
        Tensor bar = Segment(barX.sub(halfBar), middle.add(halfBar.mul(barTilt)), barX.add(halfBar), middle.sub(halfBar.mul(barTilt)), height, width);

        // The slash runs through the middle of the 0 from below its left edge to above its right one, reaching 0-15%
        // of the ink's size past the ring; the dot is a short stroke at the centre.
        Tensor columns = ink.any(1);
        Tensor left = columns.to_type(ScalarType.Int32).argmax(1).to_type(ScalarType.Float32);
        Tensor right = columns.flip(1).to_type(ScalarType.Int32).argmax(1).to_type(ScalarType.Float32).neg().add(s.Of(width - 1));
        Tensor centreX = left.add(right).add(s.Of(1)).div(s.Of(2));
        Tensor centreY = top.add(bottom).add(s.Of(1)).div(s.Of(2));
        Tensor overshoot = Augmentation.Uniform(n, 0.5, 0.65, device);
        Tensor reachX = right.sub(left).add(s.Of(1)).mul(overshoot);
        Tensor reachY = inkHeight.add(s.Of(1)).mul(overshoot);
        Tensor slash = Segment(centreX.sub(reachX), centreY.add(reachY), centreX.add(reachX), centreY.sub(reachY), height, width);
        Tensor dot = Segment(centreX.sub(s.Of(0.4f)), centreY, centreX.add(s.Of(0.4f)), centreY, height, width);

        Tensor stroke = OnlyOn(flagged, flag).maximum(OnlyOn(footed, foot)).maximum(OnlyOn(barred, bar)).maximum(OnlyOn(slashed, slash)).maximum(OnlyOn(dotted, dot));
        return images.maximum(stroke.unsqueeze(1));
    }

    /// <summary>A random <paramref name="share"/> of the images labelled <paramref name="digit"/>.</summary>
    private static Tensor Chosen(Tensor labels, int digit, double share)
    {
        using Scalar label = digit.ToScalar();
        using Scalar chance = share.ToScalar();
        return labels.eq(label).logical_and(rand(labels.shape[0], device: labels.device).lt(chance));
    }

    /// <summary>The stroke on the chosen images, nothing on the others.</summary>
    private static Tensor OnlyOn(Tensor chosen, Tensor stroke) => where(chosen.view(-1, 1, 1), stroke, zeros_like(stroke));

    /// <summary>The mean column of the ink between two rows (the image's centre column where there is none).</summary>
    private static Tensor InkColumn(Tensor ink, Tensor rowIndex, Tensor from, Tensor to)
    {
        using var s = new ScalarScope();
        long width = ink.shape[2];
        Tensor inRows = rowIndex.view(1, -1).ge(from.view(-1, 1)).logical_and(rowIndex.view(1, -1).le(to.view(-1, 1)));
        Tensor selected = ink.logical_and(inRows.unsqueeze(2)).to_type(ScalarType.Float32);
        Tensor columns = arange(s.Of(width), device: ink.device).to_type(ScalarType.Float32).add(s.Of(0.5f));
        Tensor count = selected.sum([1, 2]);
        Tensor mean = selected.sum(1).mul(columns).sum(1).div(count.clamp_min(s.Of(1)));
        return where(count.gt(s.Of(0)), mean, full_like(mean, s.Of(width / 2f)));
    }

    /// <summary>Anti-aliased segments from (x0, y0) to (x1, y1), one per image, as <c>[N, H, W]</c> ink in [0, 1].</summary>
    private static Tensor Segment(Tensor x0, Tensor y0, Tensor x1, Tensor y1, long height, long width)
    {
        using var s = new ScalarScope();
        Scalar pixelCentre = s.Of(0.5f);
        Scalar zero = s.Of(0);
        Scalar one = s.Of(1);
        Device device = x0.device;
        Tensor px = arange(s.Of(width), device: device).to_type(ScalarType.Float32).add(pixelCentre).view(1, 1, -1);
        Tensor py = arange(s.Of(height), device: device).to_type(ScalarType.Float32).add(pixelCentre).view(1, -1, 1);
        Tensor ax = x0.view(-1, 1, 1);
        Tensor ay = y0.view(-1, 1, 1);
        Tensor dx = x1.sub(x0).view(-1, 1, 1);
        Tensor dy = y1.sub(y0).view(-1, 1, 1);
        Tensor t = px.sub(ax).mul(dx).add(py.sub(ay).mul(dy)).div(dx.square().add(dy.square()).clamp_min(s.Of(1e-6))).clamp(zero, one);
        Tensor distance = px.sub(ax.add(t.mul(dx))).square().add(py.sub(ay.add(t.mul(dy))).square()).sqrt();
        return distance.neg().add(s.Of(Reach)).clamp(zero, one);
    }
}
