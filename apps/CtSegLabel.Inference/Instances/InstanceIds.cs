using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Inference.Instances;

/// <summary>Helpers over int instance maps (0 = none).</summary>
internal static class InstanceIds
{
    /// <summary>Renumbers the ids in place to 1..n in the raster order of their first voxel, so stitched output has
    /// no gaps whatever ids the windows used.</summary>
    public static void Compact(Volume<int> map)
    {
        var next = new Dictionary<int, int>();
        var data = map.Data;
        for (int v = 0; v < data.Length; v++)
        {
            int id = data[v];
            if (id == 0) continue;
            if (!next.TryGetValue(id, out int compact)) next[id] = compact = next.Count + 1;
            data[v] = compact;
        }
    }

    public static int Max(Volume<int> map)
    {
        int max = 0;
        foreach (int id in map.Data) if (id > max) max = id;
        return max;
    }
}
