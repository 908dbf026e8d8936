using System.Text.Json.Nodes;
using CtSegLabel.Server.Datastore;
using Microsoft.Extensions.Logging.Abstractions;

namespace CtSegLabel.Server.Tests;

/// <summary>A studies folder laid out by MONAI Label (hand-written from the protocol notes, section 5)
/// opens here unchanged, and what this server writes is the same layout.</summary>
public class DatastoreCompatibilityTests
{
    private static string Fixture => Path.Combine(TestPaths.Fixtures, "monailabel-datastore");

    private static void CopyFixture(string target)
    {
        foreach (string file in Directory.EnumerateFiles(Fixture, "*", SearchOption.AllDirectories))
        {
            if (file.EndsWith(".py", StringComparison.Ordinal)) continue;
            string to = Path.Combine(target, Path.GetRelativePath(Fixture, file));
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(file, to);
        }
    }

    [Fact]
    public async Task A_MONAI_Label_folder_loads_with_every_object_and_info_intact()
    {
        await using var loaded = await WithFixtureAsync();

        var expected = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(Fixture, "datastore_v2.json")))!;
        var all = await loaded.Client.DatastoreAsync();
        Assert.True(JsonNode.DeepEquals(expected, all), all.ToJsonString());

        // Rewritten at start in the same layout: a MONAI Label server can open it again.
        var rewritten = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(loaded.Studies, "datastore_v2.json")));
        Assert.True(JsonNode.DeepEquals(expected, rewritten));

        var info = await loaded.Client.InfoAsync();
        Assert.Equal(3, info.Datastore.Total);
        Assert.Equal(1, info.Datastore.Completed);
        Assert.Equal(1, info.Datastore.LabelTags["final"]);
        Assert.Equal(1, info.Datastore.LabelTags["original"]);

        var original = await loaded.Client.DownloadLabelAsync("spleen_11", "original");
        Assert.Equal("spleen_11.nrrd", original.FileName);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(Fixture, "labels", "original", "spleen_11.nrrd")), original.Content);
        Assert.Equal("spleen_11", (await loaded.Client.NextSampleAsync("first"))["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Labels_can_be_submitted_for_MONAI_Label_images()
    {
        await using var loaded = await WithFixtureAsync();
        string label = Path.Combine(loaded.Scratch, "tmp_label.nii.gz");
        File.Copy(Path.Combine(Fixture, "labels", "final", "spleen_10.nii.gz"), label);
        await loaded.Client.SaveLabelAsync("spleen_12", label);
        Assert.Equal(2, (await loaded.Client.InfoAsync()).Datastore.Completed);
    }

    [Fact]
    public async Task Files_dropped_in_or_removed_while_running_are_reconciled()
    {
        await using var loaded = await WithFixtureAsync();
        File.Copy(Path.Combine(loaded.Studies, "spleen_12.nii.gz"), Path.Combine(loaded.Studies, "dropped case.nii.gz"));
        File.Delete(Path.Combine(loaded.Studies, "spleen_11.nii.gz"));
        Directory.CreateDirectory(Path.Combine(loaded.Studies, "labels", "final"));
        File.Copy(Path.Combine(Fixture, "labels", "final", "spleen_10.nii.gz"), Path.Combine(loaded.Studies, "labels", "final", "spleen_12.nii.gz"));

        JsonObject objects = [];
        // File-watcher events can take seconds on a loaded machine: up to 30 s.
        for (int attempt = 0; attempt < 300; attempt++)
        {
            objects = (await loaded.Client.DatastoreAsync())["objects"]!.AsObject();
            if (objects.ContainsKey("dropped case") && !objects.ContainsKey("spleen_11") && objects["spleen_12"]!["labels"]!.AsObject().ContainsKey("final")) break;
            await Task.Delay(100);
        }
        Assert.Equal(["dropped case", "spleen_10", "spleen_12"], objects.Select(p => p.Key));
        Assert.Equal("dropped case.nii.gz", objects["dropped case"]!["image"]!["info"]!["name"]!.GetValue<string>());
        Assert.Equal(".nii.gz", objects["spleen_12"]!["labels"]!["final"]!["ext"]!.GetValue<string>());

        // ...and the file on disk follows (written by the reconcile itself, not only on request).
        JsonNode? onDisk = null;
        for (int attempt = 0; attempt < 50; attempt++)
        {
            onDisk = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(loaded.Studies, "datastore_v2.json")));
            if (onDisk!["objects"]!.AsObject().ContainsKey("dropped case")) break;
            await Task.Delay(100);
        }
        Assert.True(onDisk!["objects"]!.AsObject().ContainsKey("dropped case"));
    }

    [Fact]
    public async Task Keys_this_server_does_not_know_survive_a_rewrite()
    {
        using var dir = new TestDir();
        File.WriteAllText(Path.Combine(dir.Path, "a.nii.gz"), "image bytes");
        File.WriteAllText(Path.Combine(dir.Path, "datastore_v2.json"), """
            {"name": "n", "description": "d", "images_dir": ".", "labels_dir": "labels", "future_key": {"x": 1},
             "objects": {"a": {"image": {"ext": ".nii.gz", "info": {"name": "a.nii.gz"}, "image_extra": [1, 2]},
                               "labels": {}, "object_extra": "kept"}}}
            """);
        using (var store = NewStore(dir.Path))
            await store.MergeImageInfoAsync("a", new JsonObject { ["seen"] = true });
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.Path, "datastore_v2.json")))!;
        Assert.Equal(1, json["future_key"]!["x"]!.GetValue<int>());
        Assert.Equal("kept", json["objects"]!["a"]!["object_extra"]!.GetValue<string>());
        Assert.Equal(2, json["objects"]!["a"]!["image"]!["image_extra"]![1]!.GetValue<int>());
        Assert.True(json["objects"]!["a"]!["image"]!["info"]!["seen"]!.GetValue<bool>());
        Assert.Equal("n", json["name"]!.GetValue<string>());
    }

    [Fact]
    public void A_malformed_datastore_file_is_refused_naming_the_field_and_left_untouched()
    {
        using var dir = new TestDir();
        string path = Path.Combine(dir.Path, "datastore_v2.json");
        const string broken = """{"objects": {"a": {"image": "not an object"}}}""";
        File.WriteAllText(path, broken);
        var e = Assert.Throws<DatastoreFormatException>(() => NewStore(dir.Path));
        Assert.Contains("objects.a.image", e.Message);
        Assert.Equal(broken, File.ReadAllText(path));
    }

    private static LocalDatastore NewStore(string root) =>
        new(root, new FileNameRules([".nii.gz", ".nii", ".nrrd"]), TimeProvider.System, NullLogger<LocalDatastore>.Instance);

    private static Task<ServerHarness> WithFixtureAsync()
    {
        var server = new ServerHarness(testApp: false, settings: null, beforeStart: studies => CopyFixture(studies));
        return Task.FromResult(server);
    }
}
