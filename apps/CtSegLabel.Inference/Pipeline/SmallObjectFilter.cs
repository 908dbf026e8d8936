using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Operators;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Instances;

namespace CtSegLabel.Inference.Pipeline;

/// <summary>
/// Stage 6 (thesis §3.7.2), on the model grid: connected components smaller than their class's threshold are
/// removed unless they touch the first or last slice (<see cref="SmallObjectRemoval"/>). Organs use the
/// checkpoint's training statistics (<see cref="ClassVolumeStatistics.RemovalThresholdVoxels"/>, 20 % of the mean
/// volume, already in the checkpoint's own model voxels); ribs and vertebrae use the thesis's thresholds per instance.
/// </summary>
public static class SmallObjectFilter
{
    /// <summary>The model grid the thesis's thresholds are counted on: 128² in-plane, 3 mm slices.</summary>
    private const double ThesisVoxelsPerBox = 128.0 * 128.0 / 3.0;

    /// <summary>Removes small organ components; organs without statistics are left alone.</summary>
    public static Volume<byte> Organs(Volume<byte> organs, IReadOnlyList<ClassVolumeStatistics> classVolumes)
    {
        var min = new Dictionary<int, long>();
        foreach (var stats in classVolumes)
        {
            if (!min.TryAdd(stats.Value, (long)Math.Ceiling(stats.RemovalThresholdVoxels)))
                throw new ArgumentException($"class volume statistics list value {stats.Value} ({stats.Name}) twice", nameof(classVolumes));
        }
        return min.Values.Any(m => m > 0) ? SmallObjectRemoval.Apply(organs, min).Labels : organs;
    }

    /// <summary>Removes the small components of every instance of one group; ids stay 1..n.</summary>
    public static Volume<int> Instances(Volume<int> instances, InstanceGroup group, PreprocessingParameters parameters)
    {
        long threshold = InstanceThreshold(group, parameters);
        var min = new Dictionary<int, long>();
        foreach (int id in instances.Data) if (id != 0) min.TryAdd(id, threshold);
        if (min.Count == 0) return instances;
        var output = SmallObjectRemoval.Apply(instances, min).Labels;
        InstanceIds.Compact(output);
        return output;
    }

    /// <summary>
    /// The thesis's threshold of an instance group (lumbar 3493, thoracic 1873, ribs 42 voxels on a 128² × 3 mm
    /// grid), converted to voxels of this model grid: the same share of the stretched body box, so a model grid of
    /// 64² keeps a quarter of the count. At the thesis's settings the numbers are the thesis's exactly.
    /// </summary>
    public static long InstanceThreshold(InstanceGroup group, PreprocessingParameters parameters)
    {
        if (!SmallObjectRemoval.ThesisInstanceThresholds.TryGetValue(group, out long thesis))
            throw new ArgumentOutOfRangeException(nameof(group), group, "not an instance group");
        double voxelsPerBox = (double)parameters.InPlaneSize * parameters.InPlaneSize / parameters.SliceSpacingMm;
        return Math.Max(1, (long)Math.Round(thesis * voxelsPerBox / ThesisVoxelsPerBox, MidpointRounding.AwayFromZero));
    }
}
