using System.Numerics;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Inference.Pipeline;

/// <summary>Voxel count and intensity sum of every label value of a map, in one parallel pass (the intensity sum of
/// background, value 0, is not computed and stays 0).</summary>
public sealed record LabelMeasures(long[] Voxels, double[] IntensitySums);

/// <summary>
/// Stage 8, statistics per structure on the input grid: voxels, millilitres from the input's spacing, mean HU of the
/// input CT (TotalSegmentator's --statistics). Slices are counted in parallel, each into its own tallies, so the pass
/// costs one read of the label map and the CT.
/// </summary>
public static class LabelStatistics
{
    /// <summary>Tallies of values 0..<paramref name="maxValue"/> of <paramref name="labels"/>; intensity sums of
    /// <paramref name="ct"/> (same grid) when given, zeros otherwise.</summary>
    public static LabelMeasures Measure(Volume<ushort> labels, int maxValue, Volume? ct)
    {
        if (ct is not null && ct.Shape != labels.Shape)
            throw new ArgumentException($"CT {ct.Shape} and labels {labels.Shape} differ", nameof(ct));
        return ct is null ? Tally<byte>(labels, maxValue, null) : ct.Apply(new Typed(labels, maxValue));
    }

    /// <summary>One <see cref="StructureStatistics"/> per label, in the given order; value v's tallies at index
    /// <c>sourceValues[n]</c> of the measures (the values before a final renumbering). Empty structures report
    /// 0 ml and 0 HU, as TotalSegmentator does, so the JSON never holds NaN.</summary>
    public static List<StructureStatistics> Summarise(IReadOnlyList<(int Value, string Name, int SourceValue)> labels, LabelMeasures measures, Vec3 spacing)
    {
        double voxelMl = spacing.X * spacing.Y * spacing.Z / 1000.0;
        return labels.Select(l =>
        {
            long n = measures.Voxels[l.SourceValue];
            return new StructureStatistics(l.Value, l.Name, n, n * voxelMl, n == 0 ? 0 : measures.IntensitySums[l.SourceValue] / n);
        }).ToList();
    }

    private sealed class Typed(Volume<ushort> labels, int maxValue) : IVolumeFunc<LabelMeasures>
    {
        public LabelMeasures Invoke<T>(Volume<T> ct) where T : unmanaged, INumber<T> => Tally(labels, maxValue, ct);
    }

    private static LabelMeasures Tally<T>(Volume<ushort> labels, int maxValue, Volume<T>? ct) where T : unmanaged, INumber<T>
    {
        var lab = labels.Data;
        var values = ct?.Data;
        int plane = labels.Shape.X * labels.Shape.Y;
        // Per-slice tallies added in slice order: the sums do not depend on how the slices were scheduled.
        var sliceVoxels = new long[labels.Shape.Z][];
        var sliceSums = new double[labels.Shape.Z][];
        Parallel.For(0, labels.Shape.Z, k =>
        {
            var counts = new long[maxValue + 1];
            var sums = new double[maxValue + 1];
            int to = (k + 1) * plane;
            // Label maps come in long runs of one value (most of a slice is background, whose intensity nobody asks
            // for): a run costs one count and, for a structure, one tight sum over the CT.
            for (int v = k * plane; v < to;)
            {
                ushort label = lab[v];
                int end = v + 1;
                while (end < to && lab[end] == label) end++;
                counts[label] += end - v;
                if (values is not null && label != 0)
                {
                    double sum = 0;
                    for (int n = v; n < end; n++) sum += double.CreateTruncating(values[n]);
                    sums[label] += sum;
                }
                v = end;
            }
            sliceVoxels[k] = counts;
            sliceSums[k] = sums;
        });
        var voxels = new long[maxValue + 1];
        var total = new double[maxValue + 1];
        for (int k = 0; k < labels.Shape.Z; k++)
            for (int n = 0; n <= maxValue; n++) { voxels[n] += sliceVoxels[k][n]; total[n] += sliceSums[k][n]; }
        return new LabelMeasures(voxels, total);
    }
}
