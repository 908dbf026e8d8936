using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Instances;

namespace CtSegLabel.Inference.Pipeline;

/// <summary>A label of the result and what it stands for: an organ, or an instance of a group.</summary>
internal sealed record ResultLabel(LabelEntry Entry, InstanceGroup Group)
{
    public bool IsInstance => Group != InstanceGroup.None;
}

/// <summary>
/// Stage 8, the label table (thesis §3.7; protocol §6: Slicer names voxel value k after the k-th label name, so values
/// must be exactly 1..N). <see cref="InstanceNumbering.Build"/> numbers and names the structures — the 32 organs of
/// the class table first, then the instances top to bottom. The result keeps, in that order and renumbered 1..N:
/// <list type="bullet">
/// <item>the organs the network has a channel for — every one, found in this image or not, so for a given network an
/// organ always has the same value (for the thesis's network, which has all 32, the table's own values);</item>
/// <item>every instance of the groups the network has;</item>
/// <item>with an ROI subset, only the organs and instance groups it names.</item>
/// </list>
/// Instances lost on the way back to the input grid (possible for a sliver when the input's slices are thicker than
/// the model's) are dropped afterwards by <see cref="DropEmpty"/>; organs stay listed even when empty.
/// </summary>
internal static class ResultLabels
{
    private static readonly InstanceGroup[] BuildOrder =
        [InstanceGroup.ThoracicVertebra, InstanceGroup.LumbarVertebra, InstanceGroup.RibLeft, InstanceGroup.RibRight];

    /// <summary>Refuses ROI names that the network cannot output, listing the ones it can.</summary>
    public static void ValidateRoi(ChannelMap channels, IReadOnlySet<string>? roi)
    {
        if (roi is null) return;
        var known = channels.Channels.Where(c => !c.IsBackground).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var unknown = roi.Where(name => !known.Contains(name)).OrderBy(n => n, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"roi_subset: {string.Join(", ", unknown.Select(n => $"'{n}'"))} not among the network's structures " +
                                        $"({string.Join(", ", known.OrderBy(n => n, StringComparer.Ordinal))})");
    }

    /// <summary>The organs kept when there is nothing else (no body in the image), numbered 1..N.</summary>
    public static List<ResultLabel> OrgansOnly(ChannelMap channels, IReadOnlySet<string>? roi)
    {
        var result = new List<ResultLabel>();
        foreach (var organ in CtClassTable.GroundTruth.Where(c => !c.IsInstance))
            if (KeepOrgan(channels, roi, organ.Value))
                result.Add(new ResultLabel(new LabelEntry(result.Count + 1, organ.Name, organ.Color), InstanceGroup.None));
        return result;
    }

    /// <summary>Numbers the structures on the model grid and keeps what the network and the ROI allow; the map is
    /// rewritten in place to the kept values.</summary>
    public static (Volume<ushort> Map, List<ResultLabel> Labels) Number(Volume<byte> organs, IReadOnlyDictionary<InstanceGroup, Volume<int>> instances,
        ChannelMap channels, IReadOnlySet<string>? roi)
    {
        var numbered = InstanceNumbering.Build(organs, instances);
        // Build's order: the table's organs (values 1..32), then each group's instances in BuildOrder.
        var groupOf = Enumerable.Repeat(InstanceGroup.None, CtClassTable.GroundTruth.Count(c => !c.IsInstance)).ToList();
        foreach (var group in BuildOrder)
        {
            int count = instances.TryGetValue(group, out var map) ? DistinctIds(map) : 0;
            for (int n = 0; n < count; n++) groupOf.Add(group);
        }
        if (groupOf.Count != numbered.Labels.Count)
            throw new InvalidOperationException($"the numbering listed {numbered.Labels.Count} labels, {groupOf.Count} were expected");

        var lut = new ushort[numbered.Labels.Count + 1];
        var kept = new List<ResultLabel>();
        for (int n = 0; n < numbered.Labels.Count; n++)
        {
            var entry = numbered.Labels[n];
            var group = groupOf[n];
            bool keep = group == InstanceGroup.None
                ? KeepOrgan(channels, roi, entry.Value)
                : channels.ChannelOf(group) >= 0 && (roi is null || roi.Contains(ChannelMap.GroupNames[group]));
            if (!keep) continue;
            kept.Add(new ResultLabel(entry with { Value = kept.Count + 1 }, group));
            lut[entry.Value] = checked((ushort)kept.Count);
        }
        Remap(numbered.Map, lut);
        return (numbered.Map, kept);
    }

    /// <summary>Drops instances with no voxel in <paramref name="voxels"/> (indexed by value) and renumbers the rest
    /// 1..N, rewriting the map in place when anything moved. Returns the kept labels and their old values.</summary>
    public static (List<ResultLabel> Labels, int[] OldValues) DropEmpty(Volume<ushort> map, List<ResultLabel> labels, long[] voxels)
    {
        var lut = new ushort[labels.Count + 1];
        var kept = new List<ResultLabel>();
        var old = new List<int>();
        foreach (var label in labels)
        {
            int value = label.Entry.Value;
            if (label.IsInstance && voxels[value] == 0) continue;
            kept.Add(label with { Entry = label.Entry with { Value = kept.Count + 1 } });
            old.Add(value);
            lut[value] = checked((ushort)kept.Count);
        }
        if (kept.Count != labels.Count) Remap(map, lut);
        return (kept, old.ToArray());
    }

    private static bool KeepOrgan(ChannelMap channels, IReadOnlySet<string>? roi, int value) =>
        channels.Channels.Any(c => c.Organ?.Value == value) && (roi is null || roi.Contains(CtClassTable.ByValue(value).Name));

    private static int DistinctIds(Volume<int> map)
    {
        var ids = new HashSet<int>();
        foreach (int id in map.Data) if (id != 0) ids.Add(id);
        return ids.Count;
    }

    /// <summary>value ← lut[value] over the whole map, in parallel chunks.</summary>
    internal static void Remap(Volume<ushort> map, ushort[] lut)
    {
        var data = map.Data;
        const int chunk = 1 << 16;
        Parallel.For(0, (data.Length + chunk - 1) / chunk, c =>
        {
            int end = Math.Min(data.Length, (c + 1) * chunk);
            for (int n = c * chunk; n < end; n++) data[n] = lut[data[n]];
        });
    }
}
