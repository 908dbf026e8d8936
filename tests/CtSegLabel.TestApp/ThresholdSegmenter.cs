using System.Numerics;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.TestApp;

/// <summary>
/// Bone and lung from Hounsfield units, on the image's own grid: 1 = bone (above the bone threshold),
/// 2 = lung (below the lung threshold, inside the body). "Inside the body" is decided per axial slice:
/// air that cannot be reached from the slice border through air is enclosed by tissue.
/// </summary>
public static class ThresholdSegmenter
{
    public const byte Bone = 1;
    public const byte Lung = 2;

    public static Volume<byte> Segment(Volume image, ThresholdParameters p, CancellationToken ct = default)
    {
        float[] hu = Hounsfield(image);
        bool[] enclosed = EnclosedAir(hu, image.Shape, p.BodyAirHu, ct);
        var labels = new Volume<byte>(image.Geometry);
        var data = labels.Data;
        Parallel.For(0, image.Shape.Z, new ParallelOptions { CancellationToken = ct }, k =>
        {
            long start = (long)image.Shape.X * image.Shape.Y * k, end = start + (long)image.Shape.X * image.Shape.Y;
            for (long n = start; n < end; n++)
                data[n] = hu[n] > p.BoneMinHu ? Bone : enclosed[n] && hu[n] < p.LungMaxHu ? Lung : (byte)0;
        });
        return labels;
    }

    /// <summary>The voxels as floats (HU for CT stored as int16 or float).</summary>
    public static float[] Hounsfield(Volume image) => image.VoxelType switch
    {
        VoxelType.UInt8 => ToFloat(((Volume<byte>)image).Data),
        VoxelType.Int8 => ToFloat(((Volume<sbyte>)image).Data),
        VoxelType.Int16 => ToFloat(((Volume<short>)image).Data),
        VoxelType.UInt16 => ToFloat(((Volume<ushort>)image).Data),
        VoxelType.Int32 => ToFloat(((Volume<int>)image).Data),
        VoxelType.UInt32 => ToFloat(((Volume<uint>)image).Data),
        VoxelType.Float32 => ((Volume<float>)image).Data,
        _ => ToFloat(((Volume<double>)image).Data),
    };

    /// <summary>Per slice: voxels below <paramref name="airHu"/> not connected (4-neighbourhood) to the
    /// slice border through such voxels.</summary>
    public static bool[] EnclosedAir(float[] hu, Shape3 shape, double airHu, CancellationToken ct = default)
    {
        var enclosed = new bool[hu.Length];
        int nx = shape.X, ny = shape.Y;
        Parallel.For(0, shape.Z, new ParallelOptions { CancellationToken = ct }, k =>
        {
            long offset = (long)nx * ny * k;
            var outside = new bool[nx * ny];
            var stack = new Stack<int>();
            void Seed(int i, int j)
            {
                int n = i + nx * j;
                if (!outside[n] && hu[offset + n] < airHu) { outside[n] = true; stack.Push(n); }
            }
            for (int i = 0; i < nx; i++) { Seed(i, 0); Seed(i, ny - 1); }
            for (int j = 0; j < ny; j++) { Seed(0, j); Seed(nx - 1, j); }
            while (stack.Count > 0)
            {
                int n = stack.Pop();
                int i = n % nx, j = n / nx;
                if (i > 0) Seed(i - 1, j);
                if (i < nx - 1) Seed(i + 1, j);
                if (j > 0) Seed(i, j - 1);
                if (j < ny - 1) Seed(i, j + 1);
            }
            for (int n = 0; n < nx * ny; n++)
                enclosed[offset + n] = !outside[n] && hu[offset + n] < airHu;
        });
        return enclosed;
    }

    private static float[] ToFloat<T>(T[] data) where T : unmanaged, INumber<T>
    {
        var f = new float[data.Length];
        for (int n = 0; n < data.Length; n++) f[n] = float.CreateTruncating(data[n]);
        return f;
    }
}
