using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Inference.Instances;

namespace CtSegLabel.Inference.Pipeline;

/// <summary>Everything the pipeline needs besides the image and the network; the CT app fills it from the
/// checkpoint's metadata and the request's parameters.</summary>
public sealed record PipelineSettings
{
    public PreprocessingParameters Preprocessing { get; init; } = new();

    /// <summary>What each semantic channel of the network stands for.</summary>
    public required ChannelMap Channels { get; init; }

    /// <summary>Training volume statistics per organ value, for small-object removal; organs without an entry
    /// are not filtered.</summary>
    public IReadOnlyList<ClassVolumeStatistics> ClassVolumes { get; init; } = [];

    /// <summary>Small-object thresholds of the instance classes in voxels of this model grid, applied to the connected
    /// components of each class (see <see cref="SmallObjectFilter"/>); null takes the thesis's (tuned on its validation
    /// data, like any checkpoint's own) converted to this grid. A group missing from the dictionary is not filtered.</summary>
    public IReadOnlyDictionary<InstanceGroup, long>? InstanceThresholds { get; init; }

    public RibMode Ribs { get; init; } = RibMode.ConnectedComponents;

    public ClusteringOptions Clustering { get; init; } = new();

    /// <summary>Organ and instance-group names to keep (TotalSegmentator's --roi_subset); null keeps all.</summary>
    public IReadOnlySet<string>? RoiSubset { get; init; }

    /// <summary>Also compute per-structure volume and mean HU.</summary>
    public bool Statistics { get; init; } = true;
}
