using CtSegLabel.Inference.Instances;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Inference.Tests.Instances;

/// <summary>Small constructed instance volumes for the stitching tests.</summary>
internal static class StitchingVolumes
{
    public static ImageGeometry Grid(int x, int y, int z) => new(new Shape3(x, y, z), new Vec3(1, 1, 3));

    /// <summary>Fills [i0,i1)×[j0,j1)×[k0,k1) with <paramref name="id"/>.</summary>
    public static void Box(Volume<int> v, int id, int i0, int i1, int j0, int j1, int k0, int k1)
    {
        for (int k = k0; k < k1; k++)
            for (int j = j0; j < j1; j++)
                for (int i = i0; i < i1; i++) v[i, j, k] = id;
    }

    /// <summary>What a perfect network would predict in the window: the truth's slices [start, start + depth)
    /// (zero past the end, as padding), renumbered 1..n within the window.</summary>
    public static InstanceWindow Cut(Volume<int> truth, int start, int depth)
    {
        var s = truth.Shape;
        var window = new Volume<int>(Grid(s.X, s.Y, depth));
        int plane = s.X * s.Y;
        int slices = Math.Min(depth, s.Z - start);
        truth.Data.AsSpan(start * plane, slices * plane).CopyTo(window.Data);
        // Renumber by first appearance so window ids never equal the truth's by accident.
        var ids = new Dictionary<int, int>();
        for (int v = 0; v < window.Data.Length; v++)
            if (window.Data[v] != 0)
            {
                if (!ids.TryGetValue(window.Data[v], out int id)) ids[window.Data[v]] = id = 100 - ids.Count;
                window.Data[v] = id;
            }
        return new InstanceWindow(start, window);
    }

    public static int Count(Volume<int> map) => map.Data.Where(v => v != 0).Distinct().Count();
}
