using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Operators;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Instances;

namespace CtSegLabel.Inference.Pipeline;

/// <summary>
/// Stage 6 (thesis §3.7.2), on the model grid: connected components smaller than their class's threshold are
/// removed unless they touch the first or last slice (<see cref="SmallObjectRemoval"/>). Organs use the
/// checkpoint's training statistics (<see cref="ClassVolumeStatistics.RemovalThresholdVoxels"/>, 20 % of the mean
/// volume, already in the checkpoint's own model voxels); ribs and vertebrae use one threshold per instance class.
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

    /// <summary>
    /// Removes the components of a group's class (all its instances together) smaller than
    /// <paramref name="minVoxels"/>; ids stay 1..n. The thesis (§3.7.2) removes "connected components" per class with
    /// a threshold per class; its thresholds are about one vertebra's volume, so they are read as applying to the
    /// class's components — a stray piece smaller than a vertebra goes, while a spine whose vertebrae the network
    /// joins is one component and stays whole. Applied per instance they would delete true upper thoracic vertebrae.
    /// </summary>
    public static Volume<int> Instances(Volume<int> instances, long minVoxels)
    {
        if (minVoxels <= 1) return instances;
        var mask = new Volume<byte>(instances.Geometry);
        var ids = instances.Data;
        bool any = false;
        for (int v = 0; v < ids.Length; v++)
            if (ids[v] != 0) { mask.Data[v] = 1; any = true; }
        if (!any) return instances;
        var removal = SmallObjectRemoval.Apply(mask, new Dictionary<int, long> { [1] = minVoxels });
        if (removal.ComponentsRemoved == 0) return instances;
        var output = new Volume<int>(instances.Geometry);
        var kept = removal.Labels.Data;
        for (int v = 0; v < ids.Length; v++) output.Data[v] = kept[v] != 0 ? ids[v] : 0;
        InstanceIds.Compact(output);
        return output;
    }

    /// <summary>The thresholds of a run: the settings' own, or the thesis's converted to the model grid.</summary>
    public static IReadOnlyDictionary<InstanceGroup, long> InstanceThresholds(PipelineSettings settings) =>
        settings.InstanceThresholds ?? SmallObjectRemoval.ThesisInstanceThresholds.Keys.ToDictionary(g => g, g => InstanceThreshold(g, settings.Preprocessing));

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
