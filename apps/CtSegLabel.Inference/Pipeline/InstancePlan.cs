using CtSegLabel.Imaging.Anatomy;

namespace CtSegLabel.Inference.Pipeline;

/// <summary>How each instance group of the network becomes instances in this run.</summary>
public enum InstanceMethod
{
    /// <summary>Embedding clusters per window (thesis §3.5), stitched across windows.</summary>
    Clustering,

    /// <summary>Connected components of the group's class on the blended output.</summary>
    ConnectedComponents,
}

/// <summary>
/// Which instance groups are split into instances and how, and hence whether the network's instance decoder must
/// run at all (it is a third of the network's work).
/// <list type="bullet">
/// <item>Vertebrae are clustered: neighbouring vertebrae touch through the network's blur of the discs, so
/// connected components would fuse them. Ribs are clustered only in <see cref="RibMode.Clustering"/>.</item>
/// <item>A network without an instance decoder gets connected components for every group: the best it can do.</item>
/// <item>When the ROI subset keeps no instance group, none is split and no embedding is asked for. When it keeps
/// any, all are split, because the numbering of one group is anchored by the others (T12 above L1, rib 1 by the
/// twelve thoracic vertebrae) and a name must not change with the ROI.</item>
/// </list>
/// </summary>
public sealed record InstancePlan(IReadOnlyDictionary<InstanceGroup, int> Channels, IReadOnlyDictionary<InstanceGroup, InstanceMethod> Methods)
{
    public bool NeedsEmbeddings => Methods.Values.Contains(InstanceMethod.Clustering);

    /// <summary>Groups clustered per window, with their channel.</summary>
    public IReadOnlyDictionary<InstanceGroup, int> Clustered =>
        Methods.Where(m => m.Value == InstanceMethod.Clustering).ToDictionary(m => m.Key, m => Channels[m.Key]);

    public static InstancePlan For(ChannelMap channels, int embeddingDim, RibMode ribs, IReadOnlySet<string>? roiSubset)
    {
        var present = new Dictionary<InstanceGroup, int>();
        foreach (var group in ChannelMap.GroupNames.Keys)
            if (channels.ChannelOf(group) is var c and >= 0) present[group] = c;
        var methods = new Dictionary<InstanceGroup, InstanceMethod>();
        bool wanted = roiSubset is null || present.Keys.Any(g => roiSubset.Contains(ChannelMap.GroupNames[g]));
        if (wanted)
            foreach (var group in present.Keys)
            {
                bool rib = group is InstanceGroup.RibLeft or InstanceGroup.RibRight;
                bool cluster = embeddingDim > 0 && (!rib || ribs == RibMode.Clustering);
                methods[group] = cluster ? InstanceMethod.Clustering : InstanceMethod.ConnectedComponents;
            }
        return new InstancePlan(present.Where(p => methods.ContainsKey(p.Key)).ToDictionary(), methods);
    }
}
