using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.AppContract.Builtin;

/// <summary>Per-label overlap of two label maps of the same shape.</summary>
public static class LabelOverlap
{
    /// <summary>Largest voxel value accepted as a label (bounds the per-value counters).</summary>
    public const int MaxLabelValue = 65535;

    /// <summary>Dice 2|A∩B|/(|A|+|B|) for every non-zero value present in either map.</summary>
    public static Dictionary<int, double> DicePerLabel(Volume a, Volume b)
    {
        if (a.Shape != b.Shape) throw new ArgumentException($"shapes differ: {a.Shape} and {b.Shape}");
        int[] x = AsLabels(a), y = AsLabels(b);
        int max = 0;
        foreach (int v in x) max = Math.Max(max, v);
        foreach (int v in y) max = Math.Max(max, v);
        if (max > MaxLabelValue)
            throw new InvalidDataException($"label value {max} is above {MaxLabelValue}: not a label map");
        var countA = new long[max + 1];
        var countB = new long[max + 1];
        var both = new long[max + 1];
        for (int n = 0; n < x.Length; n++)
        {
            int p = x[n], q = y[n];
            countA[p]++;
            countB[q]++;
            if (p == q) both[p]++;
        }
        var dice = new Dictionary<int, double>();
        for (int v = 1; v <= max; v++)
        {
            long sum = countA[v] + countB[v];
            if (sum > 0) dice[v] = 2.0 * both[v] / sum;
        }
        return dice;
    }

    /// <summary>The voxels as non-negative ints (negative values, which no label map should hold, count as background).</summary>
    private static int[] AsLabels(Volume v)
    {
        var ints = v is Volume<int> i ? (int[])i.Data.Clone() : v.ConvertTo<int>().Data;
        for (int n = 0; n < ints.Length; n++) if (ints[n] < 0) ints[n] = 0;
        return ints;
    }
}
