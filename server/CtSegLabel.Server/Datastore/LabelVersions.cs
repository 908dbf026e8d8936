using System.Text.Json.Nodes;

namespace CtSegLabel.Server.Datastore;

/// <summary>
/// Where superseded labels live and how their history is written in the label's info. Layout:
/// <c>labels/&lt;tag&gt;/.versions/&lt;id&gt;/&lt;n&gt;&lt;ext&gt;</c>. A hidden folder: MONAI Label lists only the files
/// directly in <c>labels/&lt;tag&gt;/</c> and skips folders, and this server's reconcile skips hidden names, so neither
/// mistakes an old version for a label. The info keeps MONAI Label's keys and adds <c>version</c> (the current
/// file's number) and <c>versions</c> (one record per kept version, oldest first, the current one last).
/// </summary>
public static class LabelVersions
{
    public const string FolderName = ".versions";

    public static string FolderOf(string tagFolder, string id) => Path.Combine(tagFolder, FolderName, id);

    public static string FileOf(string tagFolder, string id, int version, string ext) => Path.Combine(FolderOf(tagFolder, id), $"{version}{ext}");

    /// <summary>The version number in a label's info; a label saved before versions existed (or found by a
    /// reconcile) is version 1.</summary>
    public static int VersionOf(JsonObject info) =>
        info["version"] is JsonValue v && v.TryGetValue(out int n) && n > 0 ? n : 1;

    /// <summary>The kept history of a label (a copy); a label without one gets a record of itself.</summary>
    public static List<JsonObject> HistoryOf(string ext, JsonObject info)
    {
        var records = info["versions"] is JsonArray list
            ? list.OfType<JsonObject>().Select(r => (JsonObject)r.DeepClone()).ToList()
            : [];
        int current = VersionOf(info);
        if (!records.Any(r => VersionOf(r) == current)) records.Add(RecordOf(current, ext, info));
        return records;
    }

    /// <summary>Who saved which file when: what an old version is looked up by.</summary>
    public static JsonObject RecordOf(int version, string ext, JsonObject info)
    {
        var record = new JsonObject { ["version"] = version, ["ext"] = ext };
        foreach (string key in (string[])["user", "client_id", "ts", "name", "checksum"])
            if (info[key] is { } value) record[key] = value.DeepClone();
        return record;
    }

    /// <summary>The record of <paramref name="version"/> in the info's history, or null.</summary>
    public static JsonObject? Find(JsonObject info, int version) =>
        info["versions"] is JsonArray list ? list.OfType<JsonObject>().FirstOrDefault(r => VersionOf(r) == version) : null;

    public static string ExtOf(JsonObject record) => record["ext"] is JsonValue v && v.TryGetValue(out string? s) ? s : "";
}
