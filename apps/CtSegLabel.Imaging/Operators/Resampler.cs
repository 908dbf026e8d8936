using System.Numerics;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Operators;

/// <summary>
/// Resampling between grids that share one Direction (the crop/resample/restore chain of the method never
/// rotates, so the map from target to source voxel indices is a per-axis scale and shift, tabulated once
/// per axis). Each target voxel centre is looked up in the source:
/// <list type="bullet">
/// <item>inside the source's OUTER voxel edges ([−0.5, n − 0.5] in source index) it gets a value — linear
/// interpolation clamps to the edge voxel in the outer half voxel, nearest takes the voxel whose cell holds it;</item>
/// <item>outside, it gets the fill value.</item>
/// </list>
/// The exact inverse of a preprocessing resample is therefore <c>Resample(lowRes, originalGeometry,
/// Interpolation.Nearest)</c>: every original voxel centre takes the low-res voxel whose cell contains it.
/// </summary>
public static class Resampler
{
    /// <summary>Trilinear resampling of an image onto <paramref name="target"/>; output float32.</summary>
    public static Volume<float> Linear<T>(Volume<T> source, ImageGeometry target, float fill = 0f) where T : unmanaged, INumber<T>
    {
        var maps = AxisMapping.Between(source.Geometry, target);
        var shape = source.Shape;
        var x = LinearTable.Build(maps[0], target.Shape.X, shape.X);
        var y = LinearTable.Build(maps[1], target.Shape.Y, shape.Y);
        var z = LinearTable.Build(maps[2], target.Shape.Z, shape.Z);
        var output = Volume<float>.Uninitialized(target);
        var src = source.Data;
        var dst = output.Data;
        int outX = target.Shape.X, outY = target.Shape.Y;
        long plane = (long)shape.X * shape.Y;

        Parallel.For(0, target.Shape.Z, k =>
        {
            long outBase = (long)outX * outY * k;
            if (!z.Valid[k])
            {
                dst.AsSpan((int)outBase, outX * outY).Fill(fill);
                return;
            }
            long z0 = z.Lo[k] * plane, z1 = z.Hi[k] * plane;
            float wz = z.W[k];
            for (int j = 0; j < outY; j++)
            {
                var row = dst.AsSpan((int)(outBase + (long)outX * j), outX);
                if (!y.Valid[j]) { row.Fill(fill); continue; }
                long y0 = (long)y.Lo[j] * shape.X, y1 = (long)y.Hi[j] * shape.X;
                float wy = y.W[j];
                long r00 = z0 + y0, r01 = z0 + y1, r10 = z1 + y0, r11 = z1 + y1;
                for (int i = 0; i < outX; i++)
                {
                    if (!x.Valid[i]) { row[i] = fill; continue; }
                    int a = x.Lo[i], b = x.Hi[i];
                    float wx = x.W[i];
                    float v00 = Lerp(float.CreateTruncating(src[r00 + a]), float.CreateTruncating(src[r00 + b]), wx);
                    float v01 = Lerp(float.CreateTruncating(src[r01 + a]), float.CreateTruncating(src[r01 + b]), wx);
                    float v10 = Lerp(float.CreateTruncating(src[r10 + a]), float.CreateTruncating(src[r10 + b]), wx);
                    float v11 = Lerp(float.CreateTruncating(src[r11 + a]), float.CreateTruncating(src[r11 + b]), wx);
                    row[i] = Lerp(Lerp(v00, v01, wy), Lerp(v10, v11, wy), wz);
                }
            }
        });
        return output;
    }

    /// <summary>Nearest-neighbour resampling (labels): same element type, no value is ever invented.</summary>
    public static Volume<T> Nearest<T>(Volume<T> source, ImageGeometry target, T fill = default) where T : unmanaged, INumber<T>
    {
        var maps = AxisMapping.Between(source.Geometry, target);
        var shape = source.Shape;
        var x = NearestTable(maps[0], target.Shape.X, shape.X);
        var y = NearestTable(maps[1], target.Shape.Y, shape.Y);
        var z = NearestTable(maps[2], target.Shape.Z, shape.Z);
        var output = Volume<T>.Uninitialized(target);
        var src = source.Data;
        var dst = output.Data;
        int outX = target.Shape.X, outY = target.Shape.Y;
        long plane = (long)shape.X * shape.Y;

        Parallel.For(0, target.Shape.Z, k =>
        {
            long outBase = (long)outX * outY * k;
            if (z[k] < 0)
            {
                dst.AsSpan((int)outBase, outX * outY).Fill(fill);
                return;
            }
            for (int j = 0; j < outY; j++)
            {
                var row = dst.AsSpan((int)(outBase + (long)outX * j), outX);
                if (y[j] < 0) { row.Fill(fill); continue; }
                long rowStart = z[k] * plane + (long)y[j] * shape.X;
                for (int i = 0; i < outX; i++)
                {
                    int xi = x[i];
                    row[i] = xi < 0 ? fill : src[rowStart + xi];
                }
            }
        });
        return output;
    }

    /// <summary>
    /// Run-time typed entry point: <see cref="Interpolation.Linear"/> gives a float32 volume,
    /// <see cref="Interpolation.Nearest"/> a volume of the source's type (fill converted with saturation).
    /// </summary>
    public static Volume Resample(Volume source, ImageGeometry target, Interpolation interpolation, double fill = 0) =>
        source.Apply(new Typed(target, interpolation, fill));

    private sealed class Typed(ImageGeometry target, Interpolation interpolation, double fill) : IVolumeFunc<Volume>
    {
        public Volume Invoke<T>(Volume<T> volume) where T : unmanaged, INumber<T> => TypedResample(volume, target, interpolation, fill);
    }

    private static Volume TypedResample<T>(Volume<T> source, ImageGeometry target, Interpolation interpolation, double fill)
        where T : unmanaged, INumber<T> => interpolation switch
    {
        Interpolation.Linear => Linear(source, target, (float)fill),
        Interpolation.Nearest => Nearest(source, target, T.CreateSaturating(fill)),
        _ => throw new ArgumentOutOfRangeException(nameof(interpolation), interpolation, null),
    };

    // w == 0 returns a exactly, so an infinite or NaN neighbour cannot leak into a voxel that sits on a centre.
    private static float Lerp(float a, float b, float w) => w == 0f ? a : a + (b - a) * w;

    /// <summary>Source voxel index for each target index along one axis, −1 where outside the source.</summary>
    private static int[] NearestTable(AxisMapping map, int targetCount, int sourceCount)
    {
        var table = new int[targetCount];
        for (int t = 0; t < targetCount; t++)
        {
            double s = map.At(t);
            // A point exactly on a cell boundary (e.g. 4:1 downsampling puts every centre on one) goes to
            // the upper cell; the tiny bias makes that choice immune to the last bit of rounding.
            table[t] = AxisMapping.Inside(s, sourceCount)
                ? Math.Clamp((int)Math.Floor(s + 0.5 + 1e-9), 0, sourceCount - 1)
                : -1;
        }
        return table;
    }

    /// <summary>Per-axis neighbours and weight for linear interpolation along one axis.</summary>
    private sealed class LinearTable
    {
        private LinearTable(int n)
        {
            Lo = new int[n];
            Hi = new int[n];
            W = new float[n];
            Valid = new bool[n];
        }

        public int[] Lo { get; }
        public int[] Hi { get; }
        public float[] W { get; }
        public bool[] Valid { get; }

        public static LinearTable Build(AxisMapping map, int targetCount, int sourceCount)
        {
            var table = new LinearTable(targetCount);
            for (int t = 0; t < targetCount; t++)
            {
                double s = map.At(t);
                if (!AxisMapping.Inside(s, sourceCount)) continue;
                // In the outer half voxel there is no second neighbour: the edge voxel's value is used.
                s = Math.Clamp(s, 0, sourceCount - 1);
                int lo = (int)Math.Floor(s);
                table.Lo[t] = lo;
                table.Hi[t] = Math.Min(lo + 1, sourceCount - 1);
                table.W[t] = (float)(s - lo);
                table.Valid[t] = true;
            }
            return table;
        }
    }
}
