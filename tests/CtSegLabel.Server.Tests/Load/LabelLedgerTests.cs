using System.Text.Json.Nodes;
using CtSegLabel.LoadTesting;

namespace CtSegLabel.Server.Tests.Load;

/// <summary>The load test's verdict on labels is only as good as this check: it must see a label that is missing, stale
/// in the JSON, or different on disk.</summary>
public class LabelLedgerTests
{
    private static readonly byte[] Sent = [1, 2, 3, 4];

    private static (TestDir Studies, LabelLedger Ledger) Stored(long sequence, string sha)
    {
        var studies = new TestDir();
        Directory.CreateDirectory(Path.Combine(studies.Path, "labels", "final"));
        File.WriteAllBytes(Path.Combine(studies.Path, "labels", "final", "img.nii.gz"), Sent);
        var json = new JsonObject
        {
            ["objects"] = new JsonObject
            {
                ["img"] = new JsonObject
                {
                    ["image"] = new JsonObject { ["ext"] = ".nii.gz", ["info"] = new JsonObject() },
                    ["labels"] = new JsonObject
                    {
                        ["final"] = new JsonObject
                        {
                            ["ext"] = ".nii.gz",
                            ["info"] = new JsonObject { [LabelLedger.ChecksumKey] = sha, [LabelLedger.SequenceKey] = sequence },
                        },
                    },
                },
            },
        };
        File.WriteAllText(Path.Combine(studies.Path, "datastore_v2.json"), json.ToJsonString());
        var ledger = new LabelLedger();
        ledger.Acknowledged("img", 1, LabelLedger.Sha256([9]));
        ledger.Acknowledged("img", 2, LabelLedger.Sha256(Sent));
        return (studies, ledger);
    }

    [Fact]
    public void The_last_acknowledged_submission_stored_as_sent_passes()
    {
        var (studies, ledger) = Stored(2, LabelLedger.Sha256(Sent));
        using (studies) Assert.Empty(ledger.Verify(studies.Path));
        Assert.Equal(2, ledger.AcknowledgedCount);
    }

    [Fact]
    public void An_older_submission_in_the_json_is_reported()
    {
        var (studies, ledger) = Stored(1, LabelLedger.Sha256([9]));
        using (studies) Assert.Contains(ledger.Verify(studies.Path), p => p.Contains("records submission #1", StringComparison.Ordinal));
    }

    [Fact]
    public void Different_bytes_on_disk_and_a_missing_label_are_reported()
    {
        var (studies, ledger) = Stored(2, LabelLedger.Sha256(Sent));
        using (studies)
        {
            File.WriteAllBytes(Path.Combine(studies.Path, "labels", "final", "img.nii.gz"), [1, 2, 3]);
            ledger.Acknowledged("other", 3, LabelLedger.Sha256(Sent));
            var problems = ledger.Verify(studies.Path);
            Assert.Contains(problems, p => p.StartsWith("img:", StringComparison.Ordinal) && p.Contains("has SHA-256", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.StartsWith("other:", StringComparison.Ordinal) && p.Contains("missing", StringComparison.Ordinal));
        }
    }
}
