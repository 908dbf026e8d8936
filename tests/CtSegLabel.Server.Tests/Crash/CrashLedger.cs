using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace CtSegLabel.Server.Tests.Crash;

/// <summary>
/// What the server acknowledged (answered 200) before it was killed, and the check that a restarted datastore still
/// holds all of it: the JSON parses; every acknowledged label is the current file or one of the kept versions,
/// byte-identical (SHA-256), with the submitting client and a time in its record; versions are numbered 1..n without
/// gaps; every acknowledged image-info key is there.
/// </summary>
public sealed class CrashLedger
{
    private readonly ConcurrentBag<(string Image, string Sha, string Client)> _labels = [];
    private readonly ConcurrentBag<(string Image, string Key)> _infoKeys = [];
    private readonly Dictionary<string, string> _versionHashes = new(StringComparer.Ordinal); // immutable version files

    public int Labels => _labels.Count;
    public int InfoUpdates => _infoKeys.Count;

    public void AcknowledgedLabel(string image, string sha, string client) => _labels.Add((image, sha, client));

    public void AcknowledgedInfo(string image, string key) => _infoKeys.Add((image, key));

    /// <summary>Problems found, empty when the datastore holds everything acknowledged.</summary>
    public List<string> Verify(string studies, string tag)
    {
        var problems = new List<string>();
        JsonObject objects;
        try
        {
            objects = JsonNode.Parse(File.ReadAllBytes(Path.Combine(studies, "datastore_v2.json")))!["objects"]!.AsObject();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or NullReferenceException or InvalidOperationException)
        {
            return [$"datastore_v2.json does not parse: {e.Message}"];
        }
        foreach (var group in _labels.GroupBy(l => l.Image))
        {
            if (objects[group.Key]?["labels"]?[tag]?["info"] is not JsonObject info)
            {
                problems.Add($"{group.Key}: {group.Count()} acknowledged label(s), no '{tag}' label in the JSON");
                continue;
            }
            var history = (info["versions"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            int current = info["version"]?.GetValue<int>() ?? 0;
            var numbers = history.Select(r => r["version"]!.GetValue<int>()).ToList();
            if (!numbers.SequenceEqual(Enumerable.Range(1, current)))
                problems.Add($"{group.Key}: versions [{string.Join(",", numbers)}] are not 1..{current}");
            var stored = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
            foreach (var record in history)
            {
                int n = record["version"]!.GetValue<int>();
                string ext = (string)record["ext"]!;
                string file = n == current
                    ? Path.Combine(studies, "labels", tag, group.Key + ext)
                    : Path.Combine(studies, "labels", tag, ".versions", group.Key, $"{n}{ext}");
                if (!File.Exists(file))
                {
                    problems.Add($"{group.Key}: version {n} has no file {file}");
                    continue;
                }
                string sha = n == current ? Hash(file) : VersionHash(file);
                if ((string?)record["checksum"] != "SHA256:" + sha) problems.Add($"{group.Key}: version {n}'s file does not match its recorded checksum");
                if (!stored.TryGetValue(sha, out var list)) stored[sha] = list = [];
                list.Add(record);
            }
            foreach (var (image, sha, client) in group)
            {
                if (!stored.TryGetValue(sha, out var records)) problems.Add($"{image}: the label acknowledged to {client} is lost");
                else if (!records.Any(r => (string?)r["client_id"] == client && (string?)r["user"] is not null && r["ts"] is not null))
                    problems.Add($"{image}: the label acknowledged to {client} is stored but its record does not say who/when");
            }
        }
        foreach (var (image, key) in _infoKeys)
            if (objects[image]?["image"]?["info"]?[key] is null) problems.Add($"{image}: acknowledged image info key {key} is lost");
        return problems;
    }

    private string VersionHash(string file)
    {
        if (!_versionHashes.TryGetValue(file, out string? sha)) _versionHashes[file] = sha = Hash(file);
        return sha;
    }

    public static string Hash(string file) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(file)));
}
