using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace CtSegLabel.Server.Tests.Crash;

/// <summary>
/// Where a kill landed, read from what it left on disk before the restart cleans up — the ground truth, not a guess
/// from timing: a save's intent (before or after its file was renamed into place, told apart by the checksum), the
/// JSON's or its backup's temporary, a checkpoint temporary in the training run, an upload still streaming, a label
/// version being copied. A kill that left none of these hit a moment between writes (request parsing, training
/// compute, idle).
/// </summary>
public static class KillPhase
{
    public const string LabelBeforeRename = "label save: journaled, file not yet renamed";
    public const string LabelBeforeJson = "label save: file in place, JSON not yet written";
    public const string VersionCopy = "label save: copying the previous version";
    public const string JsonWrite = "datastore JSON write";
    public const string BackupWrite = "datastore JSON backup write";
    public const string Upload = "upload streaming to its temporary";
    public const string Checkpoint = "training checkpoint write";
    public const string Between = "between writes (no write in flight)";

    /// <param name="since">When the killed server started: older checkpoint temporaries are another kill's.</param>
    public static List<string> Classify(string studies, string? run, DateTime since)
    {
        var phases = new List<string>();
        foreach (string file in Hidden(studies))
        {
            string name = Path.GetFileName(file);
            if (name.StartsWith(".pending-", StringComparison.Ordinal)) phases.Add(IntentPhase(file));
            else if (name.StartsWith(".datastore_v2.json.bak.", StringComparison.Ordinal)) phases.Add(BackupWrite);
            else if (name.StartsWith(".datastore_v2.json.", StringComparison.Ordinal)) phases.Add(JsonWrite);
            else if (name.StartsWith(".upload-", StringComparison.Ordinal)) phases.Add(Upload);
            else if (name.EndsWith(".tmp", StringComparison.Ordinal) && file.Contains(".versions", StringComparison.Ordinal)) phases.Add(VersionCopy);
        }
        if (run is not null && Directory.Exists(run)
            && Directory.EnumerateFiles(run, ".*.tmp").Any(f => File.GetLastWriteTimeUtc(f) >= since))
            phases.Add(Checkpoint);
        if (phases.Count == 0) phases.Add(Between);
        return phases.Distinct().ToList();
    }

    private static IEnumerable<string> Hidden(string studies) =>
        Directory.EnumerateFiles(studies, ".*", SearchOption.AllDirectories);

    private static string IntentPhase(string intentFile)
    {
        try
        {
            var intent = JsonNode.Parse(File.ReadAllText(intentFile))!.AsObject();
            string tagFolder = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(intentFile)!)!)!;
            string label = Path.Combine(tagFolder, (string)intent["id"]! + (string)intent["ext"]!);
            string? checksum = (string?)intent["info"]?["checksum"];
            if (!File.Exists(label) || checksum is null) return LabelBeforeRename;
            return checksum == "SHA256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(label))) ? LabelBeforeJson : LabelBeforeRename;
        }
        catch (Exception e) when (e is IOException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return LabelBeforeRename;
        }
    }

    /// <summary>Hidden files the server must have removed (or never left) after a restart: temporaries and intents.</summary>
    public static List<string> Orphans(string studies) => Hidden(studies)
        .Where(f => Path.GetFileName(f) is var n && (n.StartsWith(".pending-", StringComparison.Ordinal) || n.StartsWith(".upload-", StringComparison.Ordinal) || n.EndsWith(".tmp", StringComparison.Ordinal)))
        .ToList();
}
