using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Instances;

namespace CtSegLabel.Inference.Pipeline;

/// <summary>
/// Stage 5, per window (thesis §3.5): the window's own argmax and embeddings give its instances
/// (<see cref="WindowInstances.Find"/>) as soon as the window is predicted, so its embeddings (32 channels, more than
/// the probabilities of a few dozen classes) can be dropped right after. Only the instance voxels are kept, as
/// (voxel, id) lists — a few percent of a window — until the stitching wants whole window maps again.
/// Padding slices get background before clustering, so nothing the network says about them reaches the result.
/// </summary>
internal sealed class WindowInstanceCollector
{
    private sealed record SparseWindow(int Start, IReadOnlyDictionary<InstanceGroup, (int[] Voxels, int[] Ids)> Groups);

    private readonly ImageGeometry _model;
    private readonly int _blockSlices, _channels, _dims;
    private readonly IReadOnlyDictionary<InstanceGroup, int> _groups;
    private readonly ClusteringOptions _options;
    private readonly List<SparseWindow> _windows = [];

    public WindowInstanceCollector(ImageGeometry model, int blockSlices, int channels, int dims,
        IReadOnlyDictionary<InstanceGroup, int> groupChannels, ClusteringOptions options)
    {
        _model = model;
        _blockSlices = blockSlices;
        _channels = channels;
        _dims = dims;
        _groups = groupChannels;
        _options = options;
    }

    /// <summary>Finds the instances of the window starting at <paramref name="start"/> (windows must come top to bottom).</summary>
    public void Add(int start, WindowPrediction prediction)
    {
        if (_windows.Count > 0 && start <= _windows[^1].Start)
            throw new InvalidOperationException($"window at slice {start} comes after the one at {_windows[^1].Start}");
        var embeddings = prediction.Embeddings
            ?? throw new InvalidOperationException("the predictor returned no embeddings although they were asked for");
        var geometry = _model with { Shape = new Shape3(_model.Shape.X, _model.Shape.Y, _blockSlices), Origin = _model.IndexToWorld(0, 0, start) };
        int plane = _model.Shape.X * _model.Shape.Y;
        long voxels = (long)plane * _blockSlices;
        if (embeddings.LongLength != voxels * _dims)
            throw new InvalidOperationException($"the predictor returned {embeddings.LongLength} embedding values for a window of {voxels} voxels × {_dims} channels");

        var semantic = new Volume<byte>(geometry);
        int real = SlidingWindows.RealSlices(start, _blockSlices, _model.Shape.Z);
        Parallel.For(0, real, k => ChannelArgmax.Compute(prediction.Probabilities, _channels, voxels, (long)k * plane,
            semantic.Data.AsSpan(k * plane, plane)));

        // Groups with no voxel in this window skip the clustering (it would only find nothing).
        var present = new bool[256];
        foreach (byte label in semantic.Data.AsSpan(0, real * plane)) present[label] = true;
        var groups = _groups.Where(g => present[g.Value]).ToDictionary();
        var found = groups.Count == 0
            ? new Dictionary<InstanceGroup, Volume<int>>()
            : WindowInstances.Find(semantic, embeddings, _dims, groups, _options);

        var sparse = new Dictionary<InstanceGroup, (int[], int[])>();
        foreach (var (group, map) in found)
        {
            var voxelList = new List<int>();
            var idList = new List<int>();
            var data = map.Data;
            for (int v = 0; v < data.Length; v++)
                if (data[v] != 0) { voxelList.Add(v); idList.Add(data[v]); }
            sparse[group] = (voxelList.ToArray(), idList.ToArray());
        }
        _windows.Add(new SparseWindow(start, sparse));
    }

    /// <summary>Every window's instance map of one group, top to bottom, windows without any of it included (the
    /// vertebra rule lets a later window's background overwrite the overlap too).</summary>
    public IReadOnlyList<InstanceWindow> Windows(InstanceGroup group)
    {
        var result = new List<InstanceWindow>(_windows.Count);
        foreach (var window in _windows)
        {
            var geometry = _model with { Shape = new Shape3(_model.Shape.X, _model.Shape.Y, _blockSlices), Origin = _model.IndexToWorld(0, 0, window.Start) };
            var map = new Volume<int>(geometry);
            if (window.Groups.TryGetValue(group, out var sparse))
                for (int n = 0; n < sparse.Voxels.Length; n++) map.Data[sparse.Voxels[n]] = sparse.Ids[n];
            result.Add(new InstanceWindow(window.Start, map));
        }
        return result;
    }
}
