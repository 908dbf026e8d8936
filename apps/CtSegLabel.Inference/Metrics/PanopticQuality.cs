namespace CtSegLabel.Inference.Metrics;

/// <summary>
/// Panoptic quality of one instance group with Dice in place of IoU (thesis §3.8, Eq. 12). A true positive is a
/// predicted/true pair with Dice above 0.5; SQ is the mean Dice of the true positives, RQ = TP / (TP + FP/2 + FN/2),
/// PQ = SQ · RQ. SQ and PQ are 0 without true positives; all three are NaN when neither side has an instance.
/// </summary>
public sealed record PanopticResult(int TruePositives, int FalsePositives, int FalseNegatives, double DiceSum)
{
    private bool Empty => TruePositives + FalsePositives + FalseNegatives == 0;
    public double SegmentationQuality => Empty ? double.NaN : TruePositives == 0 ? 0 : DiceSum / TruePositives;
    public double RecognitionQuality => Empty ? double.NaN : TruePositives / (TruePositives + 0.5 * FalsePositives + 0.5 * FalseNegatives);
    public double Quality => Empty ? double.NaN : SegmentationQuality * RecognitionQuality;
}

public static class PanopticQuality
{
    /// <summary>Threshold on Dice for a match. Unlike IoU &gt; 0.5, Dice &gt; 0.5 does not make matches unique (two
    /// halves of one true instance both reach 2/3), so pairs are taken greedily by falling Dice, each instance
    /// matched at most once — the thesis's "each segment can only be matched to one at a time".</summary>
    public const double MatchDice = 0.5;

    /// <summary>Instances are the distinct non-zero values of each map (their numbers are not compared; pairs
    /// are matched by overlap).</summary>
    public static PanopticResult Compute(ReadOnlySpan<int> predicted, ReadOnlySpan<int> truth)
    {
        if (predicted.Length != truth.Length)
            throw new ArgumentException($"maps differ in size: {predicted.Length} and {truth.Length} voxels");
        var p = new Dictionary<int, long>();
        var g = new Dictionary<int, long>();
        var both = new Dictionary<(int, int), long>();
        for (int v = 0; v < predicted.Length; v++)
        {
            int a = predicted[v], b = truth[v];
            if (a != 0) p[a] = p.GetValueOrDefault(a) + 1;
            if (b != 0) g[b] = g.GetValueOrDefault(b) + 1;
            if (a != 0 && b != 0) both[(a, b)] = both.GetValueOrDefault((a, b)) + 1;
        }
        var candidates = both
            .Select(e => (e.Key.Item1, e.Key.Item2, Dice: 2.0 * e.Value / (p[e.Key.Item1] + g[e.Key.Item2])))
            .Where(c => c.Dice > MatchDice)
            .OrderByDescending(c => c.Dice).ThenBy(c => c.Item1).ThenBy(c => c.Item2);
        var usedP = new HashSet<int>();
        var usedG = new HashSet<int>();
        double diceSum = 0;
        foreach (var (pi, gi, dice) in candidates)
        {
            if (usedP.Contains(pi) || usedG.Contains(gi)) continue;
            usedP.Add(pi);
            usedG.Add(gi);
            diceSum += dice;
        }
        int tp = usedP.Count;
        return new PanopticResult(tp, p.Count - tp, g.Count - tp, diceSum);
    }
}
