using System.Numerics;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Tests.Operators;

/// <summary>Small synthetic volumes and geometry checks shared by the operator tests.</summary>
internal static class TestVolumes
{
    /// <summary>A rotated, non-unit-spacing geometry: catches any code that assumes identity direction.</summary>
    public static ImageGeometry Oblique(Shape3 shape)
    {
        double a = 0.3;
        var dir = Mat3.FromColumns(new Vec3(Math.Cos(a), Math.Sin(a), 0), new Vec3(-Math.Sin(a), Math.Cos(a), 0), new Vec3(0, 0, 1));
        return new ImageGeometry(shape, new Vec3(0.8, 0.7, 2.5), new Vec3(-120.25, 33.5, -402.75), dir);
    }

    /// <summary>World positions of the 8 outer corners (voxel edges, not centres).</summary>
    public static Vec3[] OuterCorners(ImageGeometry g)
    {
        var corners = new Vec3[8];
        int n = 0;
        foreach (double k in new[] { -0.5, g.Shape.Z - 0.5 })
            foreach (double j in new[] { -0.5, g.Shape.Y - 0.5 })
                foreach (double i in new[] { -0.5, g.Shape.X - 0.5 })
                    corners[n++] = g.IndexToWorld(i, j, k);
        return corners;
    }

    public static double MaxCornerDistance(Vec3[] a, Vec3[] b) => a.Zip(b).Max(p => (p.First - p.Second).MaxAbs);

    public static Volume<T> Random<T>(ImageGeometry g, int seed, Func<Random, T> value) where T : unmanaged, INumber<T>
    {
        var rng = new Random(seed);
        var v = new Volume<T>(g);
        for (int n = 0; n < v.Data.Length; n++) v.Data[n] = value(rng);
        return v;
    }

    /// <summary>Label map of balls given in world millimetres (later balls overwrite earlier ones).</summary>
    public static Volume<byte> Balls(ImageGeometry g, params (Vec3 Centre, double Radius, byte Label)[] balls)
    {
        var v = new Volume<byte>(g);
        var m = g.IndexToWorldMatrix; // once, not per voxel
        for (int k = 0; k < g.Shape.Z; k++)
            for (int j = 0; j < g.Shape.Y; j++)
                for (int i = 0; i < g.Shape.X; i++)
                {
                    var w = g.Origin + m * new Vec3(i, j, k);
                    foreach (var b in balls)
                        if ((w - b.Centre).Norm <= b.Radius) v[i, j, k] = b.Label;
                }
        return v;
    }
}
