using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Instances;

namespace CtSegLabel.Training.Labels;

/// <summary>A label map in class-table values with what its annotation covers.</summary>
/// <param name="Covered">Table names the annotation covers: every name it gives that the table knows (present in the
/// map or not — a named, empty organ is known to be absent); null when nothing named the values (then the classes
/// present are all that is known, docs/training.md).</param>
/// <param name="Unknown">Names that are no class of the table (a user's own segment, "Segment_1"): their voxels
/// became background.</param>
public sealed record ClassTableLabel(Volume<ushort> Values, IReadOnlyList<string>? Covered, IReadOnlyList<string> Unknown);

/// <summary>
/// Brings a named label map to class-table values, the numbering training targets are built from. Table names
/// (organs, <c>rib_left_3</c>, <c>vertebra_T7</c>) take their table value. Ordinal instance names — what results give
/// a rib or vertebra without an anatomical anchor, e.g. <c>left_rib_2</c> — stand for some instance of their group:
/// training needs only that instances stay distinct (discriminative loss), so each takes a table value of its group
/// not otherwise used in the map, the n-th one when it is free. Other datasets' spellings go through
/// <see cref="NameAliases"/> (TotalSegmentator's <c>vertebrae_T7</c>, lung lobes).
/// </summary>
public static class ClassTableLabels
{
    public static ClassTableLabel Translate(Volume labels, IReadOnlyDictionary<int, string>? names)
    {
        var source = labels.ConvertTo<int>();
        var values = new Volume<ushort>(labels.Geometry);
        if (names is null)
        {
            for (int v = 0; v < source.Data.Length; v++)
                values.Data[v] = source.Data[v] is var x && x > 0 && x <= CtClassTable.GroundTruth.Count ? (ushort)x : (ushort)0;
            return new ClassTableLabel(values, null, []);
        }

        var translate = new Dictionary<int, ushort>();
        var covered = new List<string>();
        var unknown = new List<string>();
        var ordinals = new List<(int Value, InstanceGroup Group, int Number)>();
        foreach (var (value, name) in names.OrderBy(n => n.Key))
        {
            var (cls, group) = InstanceNumbering.Meaning(NameAliases.TableName(name) ?? name);
            if (cls is not null) { translate[value] = (ushort)cls.Value; covered.Add(cls.Name); }
            else if (group != InstanceGroup.None) ordinals.Add((value, group, OrdinalNumber(name)));
            else unknown.Add(name);
        }

        var used = translate.Values.ToHashSet();
        foreach (var (value, group, number) in ordinals)
        {
            var members = CtClassTable.GroundTruth.Where(c => c.Group == group).ToList();
            var pick = number >= 1 && number <= members.Count && !used.Contains((ushort)members[number - 1].Value)
                ? members[number - 1]
                : members.FirstOrDefault(c => !used.Contains((ushort)c.Value));
            if (pick is null) { unknown.Add(names[value]); continue; } // more instances than the group has classes
            translate[value] = (ushort)pick.Value;
            used.Add((ushort)pick.Value);
            covered.Add(pick.Name);
        }

        for (int v = 0; v < source.Data.Length; v++)
            values.Data[v] = translate.GetValueOrDefault(source.Data[v]);
        return new ClassTableLabel(values, covered.Distinct().ToList(), unknown);
    }

    private static int OrdinalNumber(string name)
    {
        int end = name.Length;
        while (end > 0 && char.IsAsciiDigit(name[end - 1])) end--;
        return int.TryParse(name.AsSpan(end), out int n) ? n : 0;
    }
}
