using System.Numerics;
using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Operators;

/// <summary>A label map after small-object removal, with what was removed.</summary>
public sealed record SmallObjectRemovalResult<T>(Volume<T> Labels, int ComponentsRemoved, long VoxelsRemoved)
    where T : unmanaged, INumber<T>;

/// <summary>
/// Thesis §3.7.2: per class, connected components smaller than the class's threshold are set to 0, except
/// components touching the first or last slice (k = 0 or k = Z − 1), which may be organs cut by the field
/// of view. Classes without a threshold are left alone.
/// </summary>
public static class SmallObjectRemoval
{
    /// <summary>Thesis Table 1: thresholds of the instance classes, in voxels of the resampled (model) grid.</summary>
    public static IReadOnlyDictionary<InstanceGroup, long> ThesisInstanceThresholds { get; } = new Dictionary<InstanceGroup, long>
    {
        [InstanceGroup.LumbarVertebra] = 3493,
        [InstanceGroup.ThoracicVertebra] = 1873,
        [InstanceGroup.RibRight] = 42,
        [InstanceGroup.RibLeft] = 42,
    };

    /// <summary>
    /// Removes components of class c (label value c) with fewer than <c>minVoxels[c]</c> voxels unless they touch
    /// k = 0 or k = Z − 1. Connectivity defaults to 26: at 3 mm a thin oblique rib is often joined only through
    /// edges or corners, and 6-connectivity would cut it into fragments each small enough to be deleted.
    /// </summary>
    public static SmallObjectRemovalResult<T> Apply<T>(Volume<T> labels, IReadOnlyDictionary<int, long> minVoxels,
        Connectivity connectivity = Connectivity.Full26) where T : unmanaged, INumber<T>
    {
        var components = ConnectedComponents.Label(labels, connectivity, ComponentGrouping.PerValue);
        var remove = new bool[components.Count + 1];
        int removedCount = 0;
        long removedVoxels = 0;
        foreach (var c in components.Components)
        {
            if (c.Value % 1 != 0 || c.Value < int.MinValue || c.Value > int.MaxValue) continue;
            if (!minVoxels.TryGetValue((int)c.Value, out long min) || c.Size >= min) continue;
            if (c.TouchesSliceEnds(labels.Shape.Z)) continue;
            remove[c.Id] = true;
            removedCount++;
            removedVoxels += c.Size;
        }

        var output = labels.Clone();
        if (removedCount == 0) return new SmallObjectRemovalResult<T>(output, 0, 0);
        var map = components.Map.Data;
        var data = output.Data;
        const int chunk = 1 << 16;
        Parallel.For(0, (data.Length + chunk - 1) / chunk, part =>
        {
            int end = Math.Min(data.Length, (part + 1) * chunk);
            for (int n = part * chunk; n < end; n++)
                if (remove[map[n]]) data[n] = T.Zero;
        });
        return new SmallObjectRemovalResult<T>(output, removedCount, removedVoxels);
    }

    /// <summary>
    /// The voxel threshold equivalent to a volume in millilitres on a grid of this spacing: the smallest count
    /// whose volume is not below it, so "size &lt; threshold voxels" is exactly "volume &lt; threshold ml".
    /// </summary>
    public static long VoxelsForMillilitres(double millilitres, Vec3 spacingMm)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(millilitres);
        double voxelMm3 = spacingMm.X * spacingMm.Y * spacingMm.Z;
        if (!(voxelMm3 > 0) || double.IsInfinity(voxelMm3))
            throw new ArgumentOutOfRangeException(nameof(spacingMm), spacingMm, "spacing must be positive");
        double voxels = millilitres * 1000.0 / voxelMm3;
        // A relative nudge so 3.0000000000004 (rounding of an exact 3) does not become 4.
        return (long)Math.Ceiling(voxels * (1 - 1e-12));
    }
}
