using CtSegLabel.Imaging.Volumes;
using static TorchSharp.torch;

namespace CtSegLabel.Training.Tests.Augmentation;

/// <summary>Small training blocks for the augmentation tests: a (1,1,D,H,W) float32 image and (1,D,H,W) int64 labels,
/// built from a value per voxel, and centroids read back. Positions are (x = w, y = h, z = d) in voxels.</summary>
internal static class Blocks
{
    public static Tensor Image(int depth, int height, int width, Func<int, int, int, float> value) =>
        tensor(Values(depth, height, width, value), new long[] { 1, 1, depth, height, width });

    public static Tensor Labels(int depth, int height, int width, Func<int, int, int, long> value) =>
        tensor(Values(depth, height, width, value), new long[] { 1, depth, height, width });

    /// <summary>A cube of half-width <paramref name="half"/> voxels around (x, y, z): 1 inside, 0 outside.</summary>
    public static Func<int, int, int, bool> Cube(int x, int y, int z, int half) =>
        (d, h, w) => Math.Abs(w - x) <= half && Math.Abs(h - y) <= half && Math.Abs(d - z) <= half;

    /// <summary>The centroid of a non-negative weight per voxel (x = w, y = h, z = d).</summary>
    public static Vec3 Centroid(Tensor weights)
    {
        using var scope = NewDisposeScope();
        var w = weights.to_type(ScalarType.Float64).squeeze();
        long depth = w.shape[0], height = w.shape[1], width = w.shape[2];
        var values = w.data<double>().ToArray();
        double sum = 0, sx = 0, sy = 0, sz = 0;
        for (int d = 0; d < depth; d++)
            for (int h = 0; h < height; h++)
                for (int x = 0; x < width; x++)
                {
                    double v = values[(d * height + h) * width + x];
                    sum += v; sx += v * x; sy += v * h; sz += v * d;
                }
        if (sum <= 0) throw new InvalidOperationException("no weight to take a centroid of");
        return new Vec3(sx / sum, sy / sum, sz / sum);
    }

    /// <summary>Same type, shape and bytes: bit-for-bit equality (the contract for identity and reproducibility).</summary>
    public static bool Same(Tensor a, Tensor b) =>
        a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.contiguous().bytes.SequenceEqual(b.contiguous().bytes);

    public static SortedSet<long> Distinct(Tensor labels) => new(labels.data<long>().ToArray());

    private static T[] Values<T>(int depth, int height, int width, Func<int, int, int, T> value)
    {
        var values = new T[depth * height * width];
        for (int d = 0; d < depth; d++)
            for (int h = 0; h < height; h++)
                for (int w = 0; w < width; w++)
                    values[(d * height + h) * width + w] = value(d, h, w);
        return values;
    }
}
