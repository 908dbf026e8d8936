namespace CtSegLabel.Inference.Metrics;

/// <summary>Dice of one class: 2|P∩G| / (|P| + |G|), with the voxel counts behind it.</summary>
public sealed record ClassDice(int Value, long Predicted, long Truth, long Intersection)
{
    /// <summary>1 when neither side has the class (nothing to get wrong).</summary>
    public double Dice => Predicted + Truth == 0 ? 1 : 2.0 * Intersection / (Predicted + Truth);
}

/// <summary>Per-class Dice and the mean over the classes present in the ground truth (thesis §3.8, Eq. 2–3).</summary>
public sealed record DiceResult(IReadOnlyList<ClassDice> Classes)
{
    /// <summary>Mean Dice over classes with ground-truth voxels; NaN when the ground truth is empty. A class only
    /// in the prediction is reported but does not enter the mean, as in the thesis.</summary>
    public double Mean => Classes.Where(c => c.Truth > 0).Select(c => c.Dice).DefaultIfEmpty(double.NaN).Average();
}

public static class DiceScore
{
    /// <summary>Dice of every non-zero value in either map. Both spans are label maps over the same voxels.</summary>
    public static DiceResult Compute(ReadOnlySpan<int> predicted, ReadOnlySpan<int> truth)
    {
        if (predicted.Length != truth.Length)
            throw new ArgumentException($"maps differ in size: {predicted.Length} and {truth.Length} voxels");
        var p = new Dictionary<int, long>();
        var g = new Dictionary<int, long>();
        var both = new Dictionary<int, long>();
        for (int v = 0; v < predicted.Length; v++)
        {
            int a = predicted[v], b = truth[v];
            if (a != 0) p[a] = p.GetValueOrDefault(a) + 1;
            if (b != 0) g[b] = g.GetValueOrDefault(b) + 1;
            if (a != 0 && a == b) both[a] = both.GetValueOrDefault(a) + 1;
        }
        var classes = p.Keys.Union(g.Keys).Order()
            .Select(c => new ClassDice(c, p.GetValueOrDefault(c), g.GetValueOrDefault(c), both.GetValueOrDefault(c)))
            .ToList();
        return new DiceResult(classes);
    }
}
