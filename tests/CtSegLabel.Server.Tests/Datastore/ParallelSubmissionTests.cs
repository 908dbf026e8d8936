using System.Text.Json.Nodes;

namespace CtSegLabel.Server.Tests.Datastore;

/// <summary>Concurrent annotators: 50 label submissions at once, half to distinct images and half to the same 5
/// images from distinct clients with distinct payloads. Nothing acknowledged may be lost.</summary>
public class ParallelSubmissionTests
{
    private sealed record Submission(string Image, string File, string ClientId, string Sha256);

    [Fact]
    public async Task Fifty_parallel_submissions_are_all_kept_as_current_or_version_numbered_without_gaps_with_who_and_when()
    {
        await using var server = new ServerHarness();
        var distinct = Enumerable.Range(0, 25).Select(n => $"distinct_{n:D2}").ToList();
        var shared = Enumerable.Range(0, 5).Select(n => $"shared_{n}").ToList();
        foreach (string id in distinct.Concat(shared)) await server.UploadCtAsync(id);

        var submissions = new List<Submission>();
        for (int n = 0; n < 50; n++)
        {
            string image = n < 25 ? distinct[n] : shared[n % 5];
            string file = LabelVariants.Write(server.Scratch, n);
            submissions.Add(new Submission(image, file, $"annotator-{n:D2}", LabelVariants.Sha256(file)));
        }

        var acknowledged = await Task.WhenAll(submissions.Select(s => Task.Run(async () =>
        {
            await new PluginAdapter.Client.MonaiLabelClient(server.Http, s.ClientId).SaveLabelAsync(s.Image, s.File);
            return s; // SaveLabelAsync throws on anything but 200
        })));
        Assert.Equal(50, acknowledged.Length);

        var objects = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(server.Studies, "datastore_v2.json")))!["objects"]!;
        foreach (var group in acknowledged.GroupBy(s => s.Image))
        {
            var info = objects[group.Key]!["labels"]!["final"]!["info"]!.AsObject();
            var history = info["versions"]!.AsArray().Select(r => r!.AsObject()).ToList();
            int count = group.Count();
            Assert.Equal(count, info["version"]!.GetValue<int>());
            Assert.Equal(Enumerable.Range(1, count), history.Select(r => r["version"]!.GetValue<int>())); // 1..n, no gap

            // Every acknowledged payload is one of the versions, byte for byte, recorded with its client and time.
            var stored = new Dictionary<string, JsonObject>();
            foreach (var record in history)
            {
                int version = record["version"]!.GetValue<int>();
                byte[] bytes = await server.Http.GetByteArrayAsync($"/datastore/label?label={group.Key}&tag=final&version={version}");
                string sha = LabelVariants.Sha256(bytes);
                Assert.Equal("SHA256:" + sha, record["checksum"]!.GetValue<string>());
                stored[sha] = record;
            }
            foreach (var s in group)
            {
                Assert.True(stored.TryGetValue(s.Sha256, out var record), $"{s.ClientId}'s label for {s.Image} was acknowledged but is not stored");
                Assert.Equal(s.ClientId, record!["client_id"]!.GetValue<string>());
                Assert.Equal("admin", record["user"]!.GetValue<string>());
                Assert.True(record["ts"]!.GetValue<long>() > 1_600_000_000);
            }
            byte[] current = await server.Http.GetByteArrayAsync($"/datastore/label?label={group.Key}&tag=final");
            Assert.Equal("SHA256:" + LabelVariants.Sha256(current), history[^1]["checksum"]!.GetValue<string>());
        }
        Assert.Empty(Directory.EnumerateFiles(server.Studies, ".upload-*", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(server.Studies, ".pending-*", SearchOption.AllDirectories));
    }
}
