using static TorchSharp.torch;

namespace Digits.Core.Training;

/// <summary>
/// Draws the strokes of common writing styles that MNIST lacks onto batches of MNIST-like digits (white ink on
/// black, 28x28), as anti-aliased line segments placed from each digit's own ink: a flag down-left from the top
/// of a 1, and a crossbar through the middle of a 7's stem.
/// </summary>
internal static class WritingStyle
{
    private const int One = 1;
    private const int Seven = 7;
    private const double FlagShare = 0.5;
    private const double BarShare = 0.33;

    /// <summary>Half the drawn line's width plus the half-pixel of anti-aliasing: about MNIST's 2.7 px strokes.</summary>
    private const float Reach = 1.6f;

    public static Tensor Apply(Tensor images, Tensor labels)
    {
        long n = images.shape[0];
        long height = images.shape[2];
        long width = images.shape[3];
        Device device = images.device;
        Tensor ink = images.amax([1]).gt(0.5);
        Tensor rows = ink.any(2);
        Tensor rowIndex = arange(height, device: device).to_type(ScalarType.Float32);
        // First and last inked rows (argmax gives the first maximum).
        Tensor top = rows.to_type(ScalarType.Int32).argmax(1).to_type(ScalarType.Float32);
        Tensor bottom = (height - 1) - rows.flip(1).to_type(ScalarType.Int32).argmax(1).to_type(ScalarType.Float32);
        Tensor inkHeight = bottom.sub(top).clamp_min(1);

        Tensor flagged = labels.eq(One).logical_and(rand(n, device: device).lt(FlagShare));
        Tensor barred = labels.eq(Seven).logical_and(rand(n, device: device).lt(BarShare));

        // The flag starts at the top of the stem and runs down-left at 20-50 degrees, a quarter to 45% of the height long.
        Tensor flagX = InkColumn(ink, rowIndex, top, top.add(2));
        Tensor flagAngle = Augmentation.Uniform(n, 20, 50, device).mul_(Math.PI / 180);
        Tensor flagLength = inkHeight.mul(Augmentation.Uniform(n, 0.25, 0.45, device));
        Tensor flag = Segment(flagX, top, flagX.sub(flagLength.mul(flagAngle.cos())), top.add(flagLength.mul(flagAngle.sin())), height, width);

        // The bar crosses the stem near mid-height, about 40% of the height long, within 10 degrees of level.
        Tensor middle = top.add(bottom).div(2).add(Augmentation.Uniform(n, -1.5, 1.5, device));
        Tensor barX = InkColumn(ink, rowIndex, middle.sub(1), middle.add(1));
        Tensor halfBar = inkHeight.mul(Augmentation.Uniform(n, 0.15, 0.25, device));
        Tensor barTilt = Augmentation.Uniform(n, -10, 10, device).mul_(Math.PI / 180).tan_();
        Tensor bar = Segment(barX.sub(halfBar), middle.add(halfBar.mul(barTilt)), barX.add(halfBar), middle.sub(halfBar.mul(barTilt)), height, width);

        Tensor stroke = where(flagged.view(n, 1, 1), flag, zeros_like(flag)).maximum(where(barred.view(n, 1, 1), bar, zeros_like(bar)));
        return images.maximum(stroke.unsqueeze(1));
    }

    /// <summary>The mean column of the ink between two rows (the image's centre column where there is none).</summary>
    private static Tensor InkColumn(Tensor ink, Tensor rowIndex, Tensor from, Tensor to)
    {
        long width = ink.shape[2];
        Tensor inRows = rowIndex.view(1, -1).ge(from.view(-1, 1)).logical_and(rowIndex.view(1, -1).le(to.view(-1, 1)));
        Tensor selected = ink.logical_and(inRows.unsqueeze(2)).to_type(ScalarType.Float32);
        Tensor columns = arange(width, device: ink.device).to_type(ScalarType.Float32).add(0.5f);
        Tensor count = selected.sum([1, 2]);
        Tensor mean = selected.sum(1).mul(columns).sum(1).div(count.clamp_min(1));
        return where(count.gt(0), mean, full_like(mean, width / 2f));
    }

    /// <summary>Anti-aliased segments from (x0, y0) to (x1, y1), one per image, as <c>[N, H, W]</c> ink in [0, 1].</summary>
    private static Tensor Segment(Tensor x0, Tensor y0, Tensor x1, Tensor y1, long height, long width)
    {
        Device device = x0.device;
        Tensor px = arange(width, device: device).to_type(ScalarType.Float32).add(0.5f).view(1, 1, -1);
        Tensor py = arange(height, device: device).to_type(ScalarType.Float32).add(0.5f).view(1, -1, 1);
        Tensor ax = x0.view(-1, 1, 1);
        Tensor ay = y0.view(-1, 1, 1);
        Tensor dx = x1.sub(x0).view(-1, 1, 1);
        Tensor dy = y1.sub(y0).view(-1, 1, 1);
        Tensor t = px.sub(ax).mul(dx).add(py.sub(ay).mul(dy)).div(dx.square().add(dy.square()).clamp_min(1e-6)).clamp(0, 1);
        Tensor distance = px.sub(ax.add(t.mul(dx))).square().add(py.sub(ay.add(t.mul(dy))).square()).sqrt();
        return distance.neg().add(Reach).clamp(0, 1);
    }
}
