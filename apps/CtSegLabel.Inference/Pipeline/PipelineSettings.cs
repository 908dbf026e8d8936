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

    public RibMode Ribs { get; init; } = RibMode.ConnectedComponents;

    public ClusteringOptions Clustering { get; init; } = new();

    /// <summary>Organ and instance-group names to keep (TotalSegmentator's --roi_subset); null keeps all.</summary>
    public IReadOnlySet<string>? RoiSubset { get; init; }

    /// <summary>Also compute per-structure volume and mean HU.</summary>
    public bool Statistics { get; init; } = true;
}
