using System.Numerics;
using CtSegLabel.Imaging.Operators;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Inference.Instances;

/// <summary>
/// Thesis §3.7.1, ribs: instances of two windows that share more than <see cref="MinOverlapVoxels"/> voxels are
/// the same rib; groups are formed transitively (union-find over every window's instances) and each group becomes
/// one instance. The thesis stitches pairwise and lets a group touching the upper window's top take that
/// instance's label so a rib running on above keeps its name; joining all windows at once in one union-find with
/// the earliest window's instance as a group's root gives the same result in one pass.
/// </summary>
public static class RibStitching
{
    /// <summary>Instances must share more than this many voxels to be joined (thesis: 10): ribs of one side
    /// can touch where the network blurs them, and a few shared voxels must not fuse them.</summary>
    public const int MinOverlapVoxels = 10;

    /// <summary>One instance map over <paramref name="whole"/> with ids 1..n (raster order of first voxel). Each
    /// window's instances must be contiguous pieces (<see cref="WindowInstances"/> splits them so).</summary>
    public static Volume<int> Stitch(IReadOnlyList<InstanceWindow> windows, ImageGeometry whole, int minOverlapVoxels = MinOverlapVoxels)
    {
        InstanceWindow.Validate(windows, whole.Shape);
        int total = whole.Shape.Z;
        int plane = whole.Shape.X * whole.Shape.Y;

        // Node offset + id for window-local id; node 0 unused.
        var offsets = new int[windows.Count];
        int nodes = 1;
        for (int w = 0; w < windows.Count; w++) { offsets[w] = nodes - 1; nodes += InstanceIds.Max(windows[w].Instances); }
        var parent = new int[nodes];
        for (int n = 0; n < nodes; n++) parent[n] = n;

        // Every pair of windows sharing slices (with the last window aligned to the bottom, not only neighbours).
        for (int a = 0; a < windows.Count; a++)
            for (int b = a + 1; b < windows.Count; b++)
            {
                var (fromB, _) = windows[b].Covered(total);
                var (_, toA) = windows[a].Covered(total);
                if (fromB >= toA) continue;
                var shared = new Dictionary<(int, int), int>();
                for (int k = fromB; k < toA; k++)
                {
                    var sa = windows[a].Instances.Data.AsSpan((k - windows[a].Start) * plane, plane);
                    var sb = windows[b].Instances.Data.AsSpan((k - windows[b].Start) * plane, plane);
                    for (int p = 0; p < plane; p++)
                        if (sa[p] != 0 && sb[p] != 0)
                            shared[(sa[p], sb[p])] = shared.GetValueOrDefault((sa[p], sb[p])) + 1;
                }
                foreach (var ((ia, ib), count) in shared)
                    if (count > minOverlapVoxels) Union(parent, offsets[a] + ia, offsets[b] + ib);
            }

        // Paint the union of each group; where windows disagree the later one wins, as for the semantic output.
        var output = new Volume<int>(whole);
        for (int w = 0; w < windows.Count; w++)
        {
            var (from, to) = windows[w].Covered(total);
            for (int k = from; k < to; k++)
            {
                var dst = output.Slice(k);
                var src = windows[w].Instances.Data.AsSpan((k - from) * plane, plane);
                for (int p = 0; p < plane; p++)
                    if (src[p] != 0) dst[p] = Find(parent, offsets[w] + src[p]);
            }
        }
        InstanceIds.Compact(output);
        return output;
    }

    /// <summary>The thesis's better rib mode: connected components (26-neighbour) of one rib class on the whole
    /// stitched semantic output, ids 1..n in raster order.</summary>
    public static Volume<int> ByConnectedComponents<T>(Volume<T> semantic, T ribValue) where T : unmanaged, INumber<T>
    {
        var mask = new Volume<byte>(semantic.Geometry);
        var src = semantic.Data;
        var dst = mask.Data;
        for (int v = 0; v < src.Length; v++) if (src[v] == ribValue) dst[v] = 1;
        return ConnectedComponents.Label(mask, Connectivity.Full26, ComponentGrouping.Binary).Map;
    }

    private static int Find(int[] parent, int x)
    {
        while (parent[x] != x) { parent[x] = parent[parent[x]]; x = parent[x]; }
        return x;
    }

    private static void Union(int[] parent, int a, int b)
    {
        int ra = Find(parent, a), rb = Find(parent, b);
        if (ra == rb) return;
        // The earlier node is the root: a group carries the label of its topmost window's instance.
        if (ra < rb) parent[rb] = ra; else parent[ra] = rb;
    }
}
