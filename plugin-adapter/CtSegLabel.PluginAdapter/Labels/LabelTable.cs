using System.Text.Json.Nodes;
using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Formats;

namespace CtSegLabel.PluginAdapter.Labels;

/// <summary>One label as Slicer shows it: the segment name, the voxel value, the display colour.</summary>
public sealed record LabelEntry(string Name, int Value, Rgb Color);

/// <summary>
/// A model's labels in the order Slicer maps them: Slicer sorts <c>label_names</c> by value, drops
/// <c>background</c> and imports voxel value k as the k-th remaining name, so the values of a usable
/// table are exactly 1..N in that order (<see cref="IsContiguous"/>).
/// </summary>
public sealed class LabelTable
{
    private LabelTable(IReadOnlyList<LabelEntry> entries) => Entries = entries;

    /// <summary>Non-background labels by ascending value.</summary>
    public IReadOnlyList<LabelEntry> Entries { get; }

    /// <summary>Builds the table of a name → value map; background (value 0 or the name "background") is left out.</summary>
    public static LabelTable FromNames(IReadOnlyDictionary<string, int> labels)
    {
        var entries = labels
            .Where(p => p.Value != 0 && !string.Equals(p.Key, "background", StringComparison.OrdinalIgnoreCase))
            .OrderBy(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new LabelEntry(p.Key, p.Value, LabelColors.For(p.Key, p.Value)))
            .ToList();
        return new LabelTable(entries);
    }

    /// <summary>A table of given entries (a result's own labels), background (value 0) left out.</summary>
    public static LabelTable FromEntries(IEnumerable<LabelEntry> entries) =>
        new(entries.Where(e => e.Value != 0).OrderBy(e => e.Value).ThenBy(e => e.Name, StringComparer.Ordinal).ToList());

    /// <summary>True when the values are 1..N without gaps or repeats, i.e. value k names the k-th entry.</summary>
    public bool IsContiguous => Entries.Select((e, n) => e.Value == n + 1).All(ok => ok);

    /// <summary>The <c>label_names</c> object of infer results: name → value in value order.</summary>
    public JsonObject ToLabelNames()
    {
        var names = new JsonObject();
        foreach (var e in Entries) names[e.Name] = e.Value;
        return names;
    }

    /// <summary>The segments of a .seg.nrrd holding this table's label map.</summary>
    public IReadOnlyList<SegmentInfo> ToSegments() =>
        Entries.Select(e => new SegmentInfo($"Segment_{e.Value}", e.Name, e.Color, e.Value)).ToList();
}
