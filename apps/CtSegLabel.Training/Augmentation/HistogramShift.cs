using TorchSharp;
using static TorchSharp.torch;

namespace CtSegLabel.Training.Augmentation;

/// <summary>
/// MONAI's RandHistogramShift: n control points evenly spaced over the image's minimum…maximum are each moved to a
/// random place between their neighbours (the ends stay), and intensities are remapped piecewise linearly from the
/// even points to the moved ones. The map is monotone (order of intensities kept) and keeps the minimum and maximum.
/// </summary>
internal static class HistogramShift
{
    /// <summary>The moved control points on 0…1 (first 0, last 1, non-decreasing): point i is drawn uniformly between
    /// the already moved point i−1 and the still even point i+1, in order, as MONAI does.</summary>
    public static double[] DrawControlPoints(int count, Random random)
    {
        var points = new double[count];
        for (int i = 0; i < count; i++) points[i] = (double)i / (count - 1);
        for (int i = 1; i < count - 1; i++)
            points[i] = points[i - 1] + (points[i + 1] - points[i - 1]) * random.NextDouble();
        return points;
    }

    public static Tensor Apply(Tensor image, double[] controlPoints)
    {
        int segments = controlPoints.Length - 1;
        using var scope = NewDisposeScope();
        var minimum = image.min();
        var range = image.max() - minimum;
        // Position on the even control points, 0…segments; a constant image stays at 0 and maps to its own value.
        using var tiny = 1e-12.ToScalar();
        using var count = ((double)segments).ToScalar();
        using var first = 0.ToScalar();
        using var last = (segments - 1).ToScalar();
        using var one = 1.ToScalar();
        var position = (image - minimum) / range.clamp_min(tiny) * count;
        var index = position.floor().clamp(first, last).to_type(ScalarType.Int64);
        var fraction = position - index.to_type(position.dtype);
        var moved = tensor(controlPoints.Select(p => (float)p).ToArray(), device: image.device).to_type(image.dtype) * range + minimum;
        var low = moved.take(index);
        var high = moved.take(index + one);
        return scope.MoveToOuter(low + fraction * (high - low));
    }
}
