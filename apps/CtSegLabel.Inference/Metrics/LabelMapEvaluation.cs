using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Inference.Instances;

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
        : key <= CtClassTable.GroundTruth.Count ? CtClassTable.ByValue(key).Name
        : key >= UnknownBase ? $"value_{key - UnknownBase}" : $"value_{key}";

    /// <param name="predictedNames">Value → label name of the prediction when its values are not the table's (a
    /// ctseg or MONAI Label result numbers its labels 1..N and names them in <c>label_names</c>); null reads the
    /// prediction in table values like the truth.</param>
    public static LabelMapScores Evaluate(ReadOnlySpan<int> predicted, ReadOnlySpan<int> truth, IReadOnlyDictionary<int, string>? predictedNames = null)
    {
        if (predicted.Length != truth.Length)
            throw new ArgumentException($"maps differ in size: {predicted.Length} and {truth.Length} voxels");
        if (predictedNames is not null) predicted = InTableValues(predicted, predictedNames);
        var dice = DiceScore.Compute(Collapse(predicted), Collapse(truth));
        var panoptic = new Dictionary<InstanceGroup, PanopticResult>();
        foreach (var group in Groups)
            panoptic[group] = PanopticQuality.Compute(OnlyGroup(predicted, group), OnlyGroup(truth, group));
        return new LabelMapScores(dice, panoptic);
    }

    /// <summary>First value given to unnumbered instances when a named prediction is translated: past every table
    /// value, and the group is carried in the value so that every instance stays distinct.</summary>
    private const int UnnumberedBase = 1 << 20, UnknownBase = 1 << 28;

    private static InstanceGroup GroupOf(int value) =>
        value >= 1 && value <= CtClassTable.GroundTruth.Count ? CtClassTable.ByValue(value).Group
        : value >= UnnumberedBase && value < UnknownBase ? (InstanceGroup)((value - UnnumberedBase) >> 16)
        : InstanceGroup.None;

    /// <summary>A named prediction in table values: table names take their value, ordinal instance names a distinct
    /// value of their group, unknown names a value of their own that matches no class.</summary>
    private static int[] InTableValues(ReadOnlySpan<int> predicted, IReadOnlyDictionary<int, string> names)
    {
        var translate = new Dictionary<int, int> { [0] = 0 };
        foreach (var (value, name) in names)
        {
            var (cls, group) = InstanceNumbering.Meaning(name);
            translate[value] = cls is not null ? cls.Value
                : group != InstanceGroup.None ? UnnumberedBase + ((int)group << 16) + (value & 0xFFFF)
                : UnknownBase + value;
        }
        var result = new int[predicted.Length];
        for (int v = 0; v < predicted.Length; v++)
            result[v] = translate.TryGetValue(predicted[v], out int t) ? t : UnknownBase + predicted[v];
        return result;
    }

    private static int[] Collapse(ReadOnlySpan<int> map)
    {
        var lookup = new int[CtClassTable.GroundTruth.Count + 1];
        for (int v = 1; v < lookup.Length; v++)
            lookup[v] = GroupOf(v) is var g && g != InstanceGroup.None ? GroupKey(g) : v;
        var result = new int[map.Length];
        for (int v = 0; v < map.Length; v++)
            result[v] = (uint)map[v] < (uint)lookup.Length ? lookup[map[v]]
                : GroupOf(map[v]) is var g && g != InstanceGroup.None ? GroupKey(g) : map[v];
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
