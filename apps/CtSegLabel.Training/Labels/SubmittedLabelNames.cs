using System.Text.Json.Nodes;
using CtSegLabel.Imaging.Formats;

namespace CtSegLabel.Training.Labels;

/// <summary>
/// What the voxel values of a stored label mean, read from whatever named them. A label the Slicer extension
/// submitted carries <c>label_info</c> (segment names in segment order; Slicer's labelmap export numbers the exported
/// segments 1..N in that order, so <c>idx</c> is not the voxel value — protocol §6); a result the server saved carries
/// the result's <c>label_names</c>; a <c>.seg.nrrd</c> names its segments itself. Null when nothing names the values:
/// they are then class-table values (phantoms, <c>ctseg infer</c> label maps of the table).
/// </summary>
public static class SubmittedLabelNames
{
    /// <summary>Segments Slicer keeps in its segment list but never exports into the labelmap.</summary>
    private static readonly HashSet<string> NotExported = new(StringComparer.OrdinalIgnoreCase)
    {
        "background", "foreground_scribbles", "background_scribbles",
    };

    /// <summary>Value → name from a label's datastore info (its stored <c>params</c>), or null when it names nothing.</summary>
    public static IReadOnlyDictionary<int, string>? FromLabelInfo(JsonObject info)
    {
        if (info["label_info"] is JsonArray entries) return FromSegmentList(entries);
        if (info["label_names"] is JsonObject names) return FromNameValues(names);
        if (info["params"] is JsonObject saved && saved["label_names"] is JsonObject resultNames) return FromNameValues(resultNames);
        return null;
    }

    /// <summary>Value → name from a class table file: one <c>value&lt;TAB&gt;name</c> line per class (TotalSegmentator's
    /// class list, e.g.), a header line allowed. A line that is neither raises <see cref="FormatException"/> naming it.</summary>
    public static IReadOnlyDictionary<int, string> FromTableFile(string path)
    {
        var names = new Dictionary<int, string>();
        int number = 0;
        foreach (string line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var fields = line.Split('\t', StringSplitOptions.TrimEntries);
            bool numbered = int.TryParse(fields[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int value);
            if (!numbered && number == 1) continue; // the header
            if (!numbered || fields.Length < 2 || fields[1].Length == 0 || value <= 0)
                throw new FormatException($"{path} line {number}: expected '<value><TAB><name>' with a value > 0, got '{line}'");
            if (!names.TryAdd(value, fields[1])) throw new FormatException($"{path} line {number}: value {value} is named twice");
        }
        if (names.Count == 0) throw new FormatException($"{path}: no '<value><TAB><name>' line");
        return names;
    }

    /// <summary>Value → name from the segments of a <c>.seg.nrrd</c>.</summary>
    public static IReadOnlyDictionary<int, string>? FromSegments(IReadOnlyList<SegmentInfo> segments)
    {
        if (segments.Count == 0) return null;
        var names = new Dictionary<int, string>();
        foreach (var segment in segments)
            if (segment.LabelValue > 0 && !NotExported.Contains(segment.Name)) names.TryAdd(segment.LabelValue, segment.Name);
        return names;
    }

    /// <summary>Slicer's <c>label_info</c>: entries in segment order (by <c>idx</c>, or <c>id</c> for scribbles); the
    /// k-th exported one holds voxel value k.</summary>
    private static IReadOnlyDictionary<int, string>? FromSegmentList(JsonArray entries)
    {
        var ordered = new List<(double Order, int Position, string Name)>();
        for (int n = 0; n < entries.Count; n++)
        {
            if (entries[n] is not JsonObject entry || entry["name"] is not JsonValue nameValue
                || !nameValue.TryGetValue(out string? name) || string.IsNullOrWhiteSpace(name)) continue;
            double order = Number(entry["idx"]) ?? Number(entry["id"]) ?? n + 1;
            ordered.Add((order, n, name));
        }
        if (ordered.Count == 0) return null;
        var names = new Dictionary<int, string>();
        int value = 0;
        foreach (var (_, _, name) in ordered.OrderBy(e => e.Order).ThenBy(e => e.Position))
            if (!NotExported.Contains(name)) names[++value] = name;
        return names;
    }

    private static IReadOnlyDictionary<int, string>? FromNameValues(JsonObject names)
    {
        var result = new Dictionary<int, string>();
        foreach (var (name, node) in names)
            if (Number(node) is { } v && v > 0 && v == Math.Floor(v) && !NotExported.Contains(name)) result.TryAdd((int)v, name);
        return result.Count > 0 ? result : null;
    }

    private static double? Number(JsonNode? node) =>
        node is JsonValue v && (v.TryGetValue(out double d) || (v.TryGetValue(out string? s) && double.TryParse(s,
            System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out d)))
            ? d : null;
}
