using CtSegLabel.Imaging.Operators;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Instances;

namespace CtSegLabel.Inference.Pipeline;

/// <summary>
/// How stitched instances and the blended semantic output are combined. The stitched ids come from each window's
/// own argmax, the class masks from the Gaussian blend of all windows, and the two disagree at the margins. The
/// blend decides WHICH voxels are a rib or a vertebra (it is the better semantic estimate, and the organs are taken
/// from it too, so no voxel is claimed twice); the stitching decides WHICH instance:
/// <list type="number">
/// <item>a voxel of the class mask with a stitched id keeps it; stitched ids outside the mask are dropped;</item>
/// <item>mask voxels without an id take the id of the nearest voxel holding one, nearest along paths inside the mask
/// (26-neighbour steps), so an id never jumps across background to another bone;</item>
/// <item>mask components that hold no stitched id at all become new instances.</item>
/// </list>
/// </summary>
public static class BlendedInstanceMask
{
    /// <summary>The instance map of the voxels where <paramref name="semantic"/> equals <paramref name="classValue"/>,
    /// ids 1..n in raster order of first voxel.</summary>
    public static Volume<int> Assign(Volume<int> stitched, Volume<byte> semantic, byte classValue)
    {
        if (stitched.Shape != semantic.Shape)
            throw new ArgumentException($"instance map {stitched.Shape} and semantic map {semantic.Shape} differ", nameof(stitched));
        var shape = semantic.Shape;
        var sem = semantic.Data;
        var ids = stitched.Data;
        var output = new Volume<int>(semantic.Geometry);
        var result = output.Data;

        // Breadth-first from every labelled mask voxel at once: each unlabelled mask voxel is reached first from its
        // nearest labelled one (ties go to the one queued first, i.e. raster order — deterministic).
        var queue = new Queue<int>();
        int maxId = 0;
        for (int v = 0; v < sem.Length; v++)
        {
            if (sem[v] != classValue || ids[v] == 0) continue;
            result[v] = ids[v];
            maxId = Math.Max(maxId, ids[v]);
            queue.Enqueue(v);
        }
        int plane = shape.X * shape.Y;
        while (queue.Count > 0)
        {
            int v = queue.Dequeue();
            int k = v / plane, j = v % plane / shape.X, i = v % shape.X;
            for (int dk = -1; dk <= 1; dk++)
            {
                int nk = k + dk;
                if ((uint)nk >= (uint)shape.Z) continue;
                for (int dj = -1; dj <= 1; dj++)
                {
                    int nj = j + dj;
                    if ((uint)nj >= (uint)shape.Y) continue;
                    for (int di = -1; di <= 1; di++)
                    {
                        int ni = i + di;
                        if ((uint)ni >= (uint)shape.X) continue;
                        int u = ni + shape.X * (nj + shape.Y * nk);
                        if (result[u] != 0 || sem[u] != classValue) continue;
                        result[u] = result[v];
                        queue.Enqueue(u);
                    }
                }
            }
        }

        // What the search did not reach are mask components without any stitched voxel.
        var orphans = new Volume<byte>(semantic.Geometry);
        bool any = false;
        for (int v = 0; v < sem.Length; v++)
            if (sem[v] == classValue && result[v] == 0) { orphans.Data[v] = 1; any = true; }
        if (any)
        {
            var components = ConnectedComponents.Label(orphans, Connectivity.Full26, ComponentGrouping.Binary).Map.Data;
            for (int v = 0; v < result.Length; v++)
                if (components[v] != 0) result[v] = maxId + components[v];
        }
        InstanceIds.Compact(output);
        return output;
    }
}
