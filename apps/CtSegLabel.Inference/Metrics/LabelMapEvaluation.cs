using CtSegLabel.Imaging.Anatomy;

namespace CtSegLabel.Inference.Metrics;

/// <summary>The scores of one predicted label map against its ground truth.</summary>
/// <param name="Dice">Dice per semantic class (numbered ribs and vertebrae collapsed to their group, keyed by
/// <see cref="LabelMapEvaluation.GroupKey"/>).</param>
/// <param name="Panoptic">Panoptic quality per instance group.</param>
public sealed record LabelMapScores(DiceResult Dice, IReadOnlyDictionary<InstanceGroup, PanopticResult> Panoptic);

/// <summary>
/// Thesis §3.8 on two label maps in <see cref="CtClassTable.GroundTruth"/> values: Dice for the semantic classes
/// (rib_left_1…12 all count as "rib_left", and so on, because the method segments the group and instances are
/// scored by PQ) and PQ per instance group, whose instances are the distinct numbered classes on each side.
/// </summary>
public static class LabelMapEvaluation
{
    public static IReadOnlyList<InstanceGroup> Groups { get; } =
        [InstanceGroup.RibLeft, InstanceGroup.RibRight, InstanceGroup.ThoracicVertebra, InstanceGroup.LumbarVertebra];

    /// <summary>The Dice key of a group's collapsed class: past every table value, so it never meets an organ's.</summary>
    public static int GroupKey(InstanceGroup group) => 1000 + (int)group;

    public static string ClassName(int key) => key > 1000
        ? ((InstanceGroup)(key - 1000)) switch
        {
            InstanceGroup.RibLeft => "ribs_left",
            InstanceGroup.RibRight => "ribs_right",
            InstanceGroup.ThoracicVertebra => "vertebrae_thoracic",
            _ => "vertebrae_lumbar",
        }
        : key <= CtClassTable.GroundTruth.Count ? CtClassTable.ByValue(key).Name : $"value_{key}";

    public static LabelMapScores Evaluate(ReadOnlySpan<int> predicted, ReadOnlySpan<int> truth)
    {
        if (predicted.Length != truth.Length)
            throw new ArgumentException($"maps differ in size: {predicted.Length} and {truth.Length} voxels");
        var dice = DiceScore.Compute(Collapse(predicted), Collapse(truth));
        var panoptic = new Dictionary<InstanceGroup, PanopticResult>();
        foreach (var group in Groups)
            panoptic[group] = PanopticQuality.Compute(OnlyGroup(predicted, group), OnlyGroup(truth, group));
        return new LabelMapScores(dice, panoptic);
    }

    private static InstanceGroup GroupOf(int value) =>
        value >= 1 && value <= CtClassTable.GroundTruth.Count ? CtClassTable.ByValue(value).Group : InstanceGroup.None;

    private static int[] Collapse(ReadOnlySpan<int> map)
    {
        var lookup = new int[CtClassTable.GroundTruth.Count + 1];
        for (int v = 1; v < lookup.Length; v++)
            lookup[v] = GroupOf(v) is var g && g != InstanceGroup.None ? GroupKey(g) : v;
        var result = new int[map.Length];
        for (int v = 0; v < map.Length; v++)
            result[v] = (uint)map[v] < (uint)lookup.Length ? lookup[map[v]] : map[v];
        return result;
    }

    private static int[] OnlyGroup(ReadOnlySpan<int> map, InstanceGroup group)
    {
        var result = new int[map.Length];
        for (int v = 0; v < map.Length; v++)
            if (GroupOf(map[v]) == group) result[v] = map[v];
        return result;
    }
}
