using System.Numerics;
using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Inference.Instances;

/// <summary>One value of the final label map: its voxel value, name and display colour.</summary>
public sealed record LabelEntry(int Value, string Name, Rgb Color);

/// <summary>The final label map (values exactly 1..N, N = <c>Labels.Count</c>) and what each value is.</summary>
public sealed record NumberedLabelMap(Volume<ushort> Map, IReadOnlyList<LabelEntry> Labels)
{
    /// <summary>label_names in value order: entry k − 1 names voxel value k, as the Slicer extension reads it.</summary>
    public IReadOnlyList<string> LabelNames => Labels.Select(l => l.Name).ToList();
}

/// <summary>
/// Builds the label map the user gets: organs keep their table values (1..32, listed even when absent, so
/// values never shift between scans), then every instance in the order thoracic, lumbar, left ribs, right ribs,
/// each top to bottom (by the world superior coordinate of its centroid, so the orientation of the grid does
/// not matter). Naming rule (thesis §5.7 names the task; this is the simple rule we chose): the anatomical
/// numbers are used only when the field of view shows an anchor — the thoracolumbar transition (thoracic and
/// lumbar instances both present) makes the lowest thoracic T12 and the highest lumbar L1; ribs are numbered
/// 1.. from the top only when all twelve thoracic vertebrae are in view, so rib 1 is too. Without an anchor,
/// or when a count would run past the table (T below 1, L above 6, more than 12 ribs), instances get ordinal
/// names counted from the top of the view ("thoracic_vertebra_1", "left_rib_3"), which never pose as anatomy.
/// </summary>
public static class InstanceNumbering
{
    public static NumberedLabelMap Build<T>(Volume<T> organs, IReadOnlyDictionary<InstanceGroup, Volume<int>> instances)
        where T : unmanaged, INumber<T>
    {
        var table = CtClassTable.GroundTruth;
        var labels = table.Where(c => !c.IsInstance).Select(c => new LabelEntry(c.Value, c.Name, c.Color)).ToList();
        var map = new Volume<ushort>(organs.Geometry);
        var src = organs.Data;
        for (int v = 0; v < src.Length; v++)
        {
            int value = int.CreateTruncating(src[v]);
            if (value >= 1 && value <= table.Count && !table[value - 1].IsInstance) map.Data[v] = (ushort)value;
        }

        var order = new Dictionary<InstanceGroup, int[]>();
        foreach (var group in new[] { InstanceGroup.ThoracicVertebra, InstanceGroup.LumbarVertebra, InstanceGroup.RibLeft, InstanceGroup.RibRight })
            order[group] = instances.TryGetValue(group, out var m) ? TopToBottom(m) : [];
        int thoracic = order[InstanceGroup.ThoracicVertebra].Length, lumbar = order[InstanceGroup.LumbarVertebra].Length;
        bool transition = thoracic > 0 && lumbar > 0;

        foreach (var (group, ids) in order)
        {
            var names = Names(group, ids.Length, transition && thoracic <= 12 && lumbar <= 6, thoracic == 12 && lumbar > 0);
            var value = new Dictionary<int, ushort>();
            for (int n = 0; n < ids.Length; n++)
            {
                var entry = new LabelEntry(labels.Count + 1, names[n].Name, names[n].Color);
                labels.Add(entry);
                value[ids[n]] = checked((ushort)entry.Value);
            }
            if (ids.Length == 0) continue;
            var data = instances[group].Data;
            for (int v = 0; v < data.Length; v++)
                if (data[v] != 0) map.Data[v] = value[data[v]];
        }
        return new NumberedLabelMap(map, labels);
    }

    private static List<(string Name, Rgb Color)> Names(InstanceGroup group, int count, bool vertebraeAnchored, bool ribsAnchored)
    {
        var result = new List<(string, Rgb)>();
        for (int n = 1; n <= count; n++)
        {
            CtClass? anatomical = group switch
            {
                InstanceGroup.ThoracicVertebra when vertebraeAnchored => CtClassTable.Thoracic(12 - count + n),
                InstanceGroup.LumbarVertebra when vertebraeAnchored => CtClassTable.Lumbar(n),
                InstanceGroup.RibLeft when ribsAnchored && count <= 12 => CtClassTable.Rib(true, n),
                InstanceGroup.RibRight when ribsAnchored && count <= 12 => CtClassTable.Rib(false, n),
                _ => null,
            };
            // Unnumbered instances borrow the alternating colours of the table's group so neighbours differ.
            var colourSource = group switch
            {
                InstanceGroup.ThoracicVertebra => CtClassTable.Thoracic((n - 1) % 12 + 1),
                InstanceGroup.LumbarVertebra => CtClassTable.Lumbar((n - 1) % 6 + 1),
                _ => CtClassTable.Rib(group == InstanceGroup.RibLeft, (n - 1) % 12 + 1),
            };
            result.Add(anatomical is null ? (OrdinalName(group, n), colourSource.Color) : (anatomical.Name, anatomical.Color));
        }
        return result;
    }

    private static readonly (InstanceGroup Group, string Prefix)[] OrdinalPrefixes =
    [
        (InstanceGroup.ThoracicVertebra, "thoracic_vertebra_"), (InstanceGroup.LumbarVertebra, "lumbar_vertebra_"),
        (InstanceGroup.RibLeft, "left_rib_"), (InstanceGroup.RibRight, "right_rib_"),
    ];

    /// <summary>The name of the n-th instance of a group counted from the top of the view, for instances without an
    /// anatomical anchor.</summary>
    public static string OrdinalName(InstanceGroup group, int n) => OrdinalPrefixes.First(p => p.Group == group).Prefix + n;

    /// <summary>What a label name of a result stands for: a class of the table (an organ, or a rib or vertebra named
    /// anatomically), or an unnumbered instance of a group (an ordinal name), or nothing known.</summary>
    public static (CtClass? Class, InstanceGroup Group) Meaning(string name)
    {
        if (CtClassTable.GroundTruth.FirstOrDefault(c => c.Name == name) is { } cls) return (cls, cls.Group);
        foreach (var (group, prefix) in OrdinalPrefixes)
            if (name.StartsWith(prefix, StringComparison.Ordinal) && int.TryParse(name.AsSpan(prefix.Length), out _)) return (null, group);
        return (null, InstanceGroup.None);
    }

    /// <summary>The instance ids of a map, from the most superior centroid (largest LPS z) down.</summary>
    private static int[] TopToBottom(Volume<int> map)
    {
        var sum = new Dictionary<int, (double I, double J, double K, long N)>();
        var s = map.Shape;
        for (int k = 0; k < s.Z; k++)
            for (int j = 0; j < s.Y; j++)
                for (int i = 0; i < s.X; i++)
                {
                    int id = map.Data[s.Index(i, j, k)];
                    if (id == 0) continue;
                    var (si, sj, sk, n) = sum.GetValueOrDefault(id);
                    sum[id] = (si + i, sj + j, sk + k, n + 1);
                }
        // The world position is affine in the index, so the centroid's world z is that of the mean index.
        double Superior((double I, double J, double K, long N) c) => map.Geometry.IndexToWorld(c.I / c.N, c.J / c.N, c.K / c.N).Z;
        return sum.OrderByDescending(e => Superior(e.Value)).ThenBy(e => e.Key).Select(e => e.Key).ToArray();
    }
}
