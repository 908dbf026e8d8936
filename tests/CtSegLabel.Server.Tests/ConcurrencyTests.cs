using System.Text.Json.Nodes;

namespace CtSegLabel.Server.Tests;

public class ConcurrencyTests
{
    [Fact]
    public async Task Twenty_parallel_label_submissions_for_different_images_all_land_and_the_json_stays_valid()
    {
        await using var server = new ServerHarness();
        var ids = Enumerable.Range(0, 20).Select(n => $"case_{n:D2}").ToList();
        await Task.WhenAll(ids.Select(id => server.UploadCtAsync(id)));      // parallel uploads too
        string label = TestVolumes.WriteLabels(server.Scratch, "tmp_label.nii.gz");

        await Task.WhenAll(ids.Select(id => Task.Run(() => server.Client.SaveLabelAsync(id, label, parameters: new JsonObject { ["who"] = id }))));

        var onDisk = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(server.Studies, "datastore_v2.json")))!;
        var objects = onDisk["objects"]!.AsObject();
        Assert.Equal(ids, objects.Select(p => p.Key));
        foreach (string id in ids)
        {
            var final = objects[id]!["labels"]!["final"]!;
            Assert.Equal(id, final["info"]!["who"]!.GetValue<string>());
            Assert.True(File.Exists(Path.Combine(server.Studies, "labels", "final", id + ".nii.gz")));
        }
        Assert.Equal(20, (await server.Client.InfoAsync()).Datastore.Completed);
        Assert.Empty(Directory.EnumerateFiles(server.Studies, ".*", SearchOption.AllDirectories)); // no temporaries left
    }

    [Fact]
    public async Task Concurrent_info_updates_to_one_image_are_all_kept()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("img");
        await Task.WhenAll(Enumerable.Range(0, 20).Select(n => Task.Run(async () =>
        {
            using var form = new MultipartFormDataContent { { new StringContent($"{{\"key_{n}\": {n}}}"), "info" } };
            (await server.Http.PutAsync("/datastore/image/info?image=img", form)).EnsureSuccessStatusCode();
        })));
        var info = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(server.Studies, "datastore_v2.json")))!["objects"]!["img"]!["image"]!["info"]!;
        for (int n = 0; n < 20; n++) Assert.Equal(n, info[$"key_{n}"]!.GetValue<int>());
    }
}
