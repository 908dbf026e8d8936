using CtSegLabel.Inference.Instances;

namespace CtSegLabel.Inference.Pipeline;

/// <summary>What one run of the pipeline produced: the label map on the input's own grid with its names and
/// colours, per-structure statistics, and how long each stage took.</summary>
public sealed record PipelineResult(NumberedLabelMap Labels, IReadOnlyList<StructureStatistics> Statistics, StageLatencies Latencies)
{
    /// <summary>False when no voxel was above the body threshold: the network did not run and the map is empty.</summary>
    public bool BodyFound { get; init; } = true;

    /// <summary>Windows the network was run on.</summary>
    public int Windows { get; init; }
}

/// <summary>One structure of the result: its label value and name, size and mean intensity in the input CT.</summary>
public sealed record StructureStatistics(int Value, string Name, long Voxels, double VolumeMl, double MeanHu);

/// <summary>Seconds per stage, as MONAI Label results report them (the host adds the time to write the file).</summary>
/// <param name="Pre">Crop, resample, intensity map.</param>
/// <param name="Infer">The network over all windows, blending included.</param>
/// <param name="Post">Instances, stitching, small-object removal, back onto the input grid, numbering, statistics.</param>
public sealed record StageLatencies(double Pre, double Infer, double Post, double Total);

/// <summary>Progress of a run, for CLIs and task status: the stage and, while inferring, windows done of total.</summary>
public sealed record PipelineProgress(string Stage, int WindowsDone, int WindowsTotal);
