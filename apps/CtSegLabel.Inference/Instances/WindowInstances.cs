using System.Numerics;
using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Operators;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Inference.Instances;

/// <summary>
/// Instances inside one network window (thesis §3.5): for each instance group, the voxels the semantic head
/// assigned to that group's class are clustered by their embeddings. Rib clusters are further cut into their
/// connected parts, because one cluster can hold two ribs whose embeddings the network failed to separate, and
/// the rib stitching relies on every window instance being one contiguous piece.
/// </summary>
public static class WindowInstances
{
    /// <summary>Instance maps (0 = none, 1..n within the window) of every group in <paramref name="groupValues"/>.</summary>
    /// <param name="semantic">The window's argmax labels.</param>
    /// <param name="embeddings">Channel-first embeddings as the network emits them: channel c of voxel v at
    /// <c>c * voxels + v</c>, v the volume's linear index.</param>
    /// <param name="dims">Embedding channels.</param>
    /// <param name="groupValues">The semantic label value that stands for each instance group.</param>
    public static IReadOnlyDictionary<InstanceGroup, Volume<int>> Find<T>(Volume<T> semantic, float[] embeddings, int dims,
        IReadOnlyDictionary<InstanceGroup, int> groupValues, ClusteringOptions? options = null) where T : unmanaged, INumber<T>
    {
        long voxels = semantic.Shape.VoxelCount;
        if (embeddings.LongLength != voxels * dims)
            throw new ArgumentException($"expected {dims} × {voxels} embedding values, got {embeddings.LongLength}", nameof(embeddings));
        var result = new Dictionary<InstanceGroup, Volume<int>>();
        foreach (var (group, value) in groupValues)
        {
            var clusters = ClusterGroup(semantic, embeddings, dims, T.CreateChecked(value), options);
            result[group] = group is InstanceGroup.RibLeft or InstanceGroup.RibRight ? SplitNonContiguous(clusters) : clusters;
        }
        return result;
    }

    private static Volume<int> ClusterGroup<T>(Volume<T> semantic, float[] embeddings, int dims, T value, ClusteringOptions? options)
        where T : unmanaged, INumber<T>
    {
        var data = semantic.Data;
        var members = new List<int>();
        for (int v = 0; v < data.Length; v++) if (data[v] == value) members.Add(v);

        // Gather to point-major rows: the clustering reads one point's whole vector per distance test.
        var points = new float[members.Count * dims];
        Parallel.For(0, dims, c =>
        {
            long plane = (long)c * data.Length;
            for (int m = 0; m < members.Count; m++) points[m * dims + c] = embeddings[plane + members[m]];
        });
        var labels = EmbeddingClustering.Cluster(points, dims, options);

        var map = new Volume<int>(semantic.Geometry);
        for (int m = 0; m < members.Count; m++) map.Data[members[m]] = labels[m];
        return map;
    }

    /// <summary>Renumbers an instance map so that every connected (26-neighbour) part of an instance is its own
    /// instance, 1..n in raster order of first voxel.</summary>
    public static Volume<int> SplitNonContiguous(Volume<int> instances) =>
        ConnectedComponents.Label(instances, Connectivity.Full26, ComponentGrouping.PerValue).Map;
}
