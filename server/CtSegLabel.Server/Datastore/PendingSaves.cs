using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using CtSegLabel.Imaging.Formats;

namespace CtSegLabel.Server.Datastore;

/// <summary>
/// The intent journal of label saves. A save writes what the label's entry will be (its info with user, ts, version
/// and the new file's SHA-256) to <c>labels/&lt;tag&gt;/.versions/&lt;id&gt;/.pending-&lt;n&gt;.json</c> before it renames the
/// file into place, and removes it once the JSON holding that entry is on disk. A kill in between leaves the
/// intent: at the next start, an intent whose checksum matches the label file now in place is applied (the file
/// got there, so its info must too); one that does not match is dropped (the rename never happened, the previous
/// label and its info stand). So a save the server did not acknowledge is either complete or absent.
/// </summary>
public static class PendingSaves
{
    private const string Prefix = ".pending-";

    public static string Write(string tagFolder, string id, string tag, string ext, JsonObject info)
    {
        int version = LabelVersions.VersionOf(info);
        string path = Path.Combine(LabelVersions.FolderOf(tagFolder, id), $"{Prefix}{version}.json");
        var intent = new JsonObject { ["id"] = id, ["tag"] = tag, ["ext"] = ext, ["info"] = info.DeepClone() };
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(intent);
        AtomicFile.Write(path, s => s.Write(bytes));
        return path;
    }

    public static void Done(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { /* applied again at the next start: it matches the file, so it changes nothing */ }
    }

    /// <summary>Applies the intents found under <paramref name="labelsPath"/> to the model (see the class comment)
    /// and deletes them; the caller persists the model before anything else. Returns (applied, dropped).</summary>
    public static (int Applied, int Dropped) Recover(string labelsPath, DatastoreModel model, FileNameRules names, ILogger logger)
    {
        int applied = 0, dropped = 0;
        if (!Directory.Exists(labelsPath)) return (0, 0);
        foreach (string tagFolder in Directory.EnumerateDirectories(labelsPath))
        {
            string versions = Path.Combine(tagFolder, LabelVersions.FolderName);
            if (!Directory.Exists(versions)) continue;
            foreach (string idFolder in Directory.EnumerateDirectories(versions))
            {
                var intents = Directory.EnumerateFiles(idFolder, Prefix + "*.json").ToList();
                if (intents.Count == 0) continue;
                var matching = intents.Select(Read).OfType<Intent>()
                    .Where(i => i.Matches(tagFolder, names))
                    .OrderByDescending(i => LabelVersions.VersionOf(i.Info))
                    .FirstOrDefault();
                if (matching is not null && model.Objects.TryGetValue(matching.Id, out var o))
                {
                    o.Labels[matching.Tag] = new FileEntry(matching.Ext, matching.Info);
                    RemoveOtherExtensions(tagFolder, matching, names);
                    logger.LogWarning("Recovery: label {Tag} of {Id} was in place but not in the JSON when the server stopped; its info (version {Version}) is restored",
                        matching.Tag, matching.Id, LabelVersions.VersionOf(matching.Info));
                    applied++;
                }
                dropped += intents.Count - (matching is null ? 0 : 1);
                foreach (string intent in intents) Done(intent);
            }
        }
        return (applied, dropped);
    }

    private static Intent? Read(string path)
    {
        try
        {
            if (JsonNode.Parse(File.ReadAllBytes(path)) is not JsonObject o) return null;
            string? id = (string?)o["id"], tag = (string?)o["tag"], ext = (string?)o["ext"];
            if (id is null || tag is null || ext is null || o["info"] is not JsonObject info) return null;
            return new Intent(id, tag, ext, (JsonObject)info.DeepClone());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or IOException)
        {
            return null; // AtomicFile makes a torn intent unlikely; a damaged one cannot be trusted: dropped
        }
    }

    /// <summary>A label file of the same id with an older extension is what the interrupted save would have removed.</summary>
    private static void RemoveOtherExtensions(string tagFolder, Intent intent, FileNameRules names)
    {
        foreach (string file in Directory.EnumerateFiles(tagFolder))
        {
            string name = Path.GetFileName(file);
            if (names.TrySplitLabel(name, out string id, out string ext) && id == intent.Id && ext != intent.Ext)
            {
                try { File.Delete(file); }
                catch (IOException) { /* a second file of the id stays beside the entry; the entry names the right one */ }
            }
        }
    }

    private sealed record Intent(string Id, string Tag, string Ext, JsonObject Info)
    {
        public bool Matches(string tagFolder, FileNameRules names)
        {
            // The journal lies under the tag folder: an intent naming another tag or an id that is not a plain
            // file name was not written by this server.
            if (Path.GetFileName(tagFolder) != Tag || !Validation.IdRules.IsValid(Id)
                || !names.LabelExtensions.Contains(Ext, StringComparer.OrdinalIgnoreCase)) return false;
            string file = Path.Combine(tagFolder, Id + Ext);
            return File.Exists(file) && Info["checksum"] is JsonValue v && v.TryGetValue(out string? checksum)
                && FileChecksum.Matches(file, checksum);
        }
    }

    /// <summary>The label's checksum as recorded in its info (MONAI Label's <c>ALGO:hex</c> form).</summary>
    public static string Checksum(Stream content) => "SHA256:" + Convert.ToHexStringLower(SHA256.HashData(content));
}
