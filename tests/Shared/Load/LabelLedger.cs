using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace CtSegLabel.LoadTesting;

/// <summary>
/// What the server acknowledged, and the check that it kept it. Each label client owns a disjoint share of the images
/// and submits to them one at a time, so for every image the last acknowledged submission is well defined and is
/// what <c>datastore_v2.json</c> and <c>labels/final/</c> must hold afterwards (an earlier submission for the same image
/// is replaced by design in this datastore). Each submission carries the SHA-256 of its file in its params, which the
/// server stores in the label's info: the JSON entry and the file on disk are each compared with the bytes sent.
/// </summary>
public sealed class LabelLedger
{
    public const string ChecksumKey = "load_sha256";
    public const string SequenceKey = "load_seq";

    private readonly ConcurrentDictionary<string, (long Sequence, string Sha256, int Acknowledged)> _last = new(StringComparer.Ordinal);

    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public void Acknowledged(string image, long sequence, string sha256) =>
        _last.AddOrUpdate(image, _ => (sequence, sha256, 1), (_, old) => (sequence, sha256, old.Acknowledged + 1));

    public int AcknowledgedCount => _last.Values.Sum(v => v.Acknowledged);

    public int Images => _last.Count;

    /// <summary>Problems found in the studies folder (empty: every acknowledged label is stored as sent).</summary>
    public IReadOnlyList<string> Verify(string studies)
    {
        var problems = new List<string>();
        JsonObject? objects;
        try
        {
            objects = JsonNode.Parse(File.ReadAllBytes(Path.Combine(studies, "datastore_v2.json")))?["objects"] as JsonObject;
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException)
        {
            return [$"datastore_v2.json is unreadable: {e.Message}"];
        }
        foreach (var (image, (sequence, sha, _)) in _last.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var final = objects?[image]?["labels"]?["final"];
            if (final is null)
            {
                problems.Add($"{image}: acknowledged label #{sequence} is missing from datastore_v2.json");
                continue;
            }
            string? stored = final["info"]?[ChecksumKey]?.GetValue<string>();
            long? storedSequence = final["info"]?[SequenceKey]?.GetValue<long>();
            if (stored != sha || storedSequence != sequence)
                problems.Add($"{image}: datastore_v2.json records submission #{storedSequence} ({stored}), the last acknowledged was #{sequence} ({sha})");
            string file = Path.Combine(studies, "labels", "final", image + (final["ext"]?.GetValue<string>() ?? ""));
            string? onDisk = File.Exists(file) ? Sha256(File.ReadAllBytes(file)) : null;
            if (onDisk != sha)
                problems.Add($"{image}: {file} {(onDisk is null ? "does not exist" : $"has SHA-256 {onDisk}")}, the last acknowledged submission sent {sha}");
        }
        return problems;
    }
}
