using System.Text.Json.Nodes;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Server.Datastore;
using Microsoft.Extensions.Logging.Abstractions;

namespace CtSegLabel.Server.Tests.Datastore;

/// <summary>What a start finds after a kill -9 or a power loss, set up on real files: a damaged or missing JSON, a
/// save cut off between its steps, leftover temporaries.</summary>
public class CrashRecoveryTests
{
    private static LocalDatastore Open(string root) =>
        new(root, new FileNameRules([".nii.gz"]), TimeProvider.System, NullLogger<LocalDatastore>.Instance);

    private static async Task SaveAsync(LocalDatastore store, string id, string labelFile, string user = "admin")
    {
        string temp = LocalDatastore.TempFileIn(store.LabelFolder("final"), ".nii.gz");
        File.Copy(labelFile, temp);
        await store.SaveLabelAsync(id, "final", ".nii.gz", temp, new JsonObject { ["user"] = user });
    }

    private static TestDir Studies(out string scratch, params string[] images)
    {
        var dir = new TestDir();
        scratch = dir.Sub("scratch");
        string studies = dir.Sub("studies");
        foreach (string id in images) TestVolumes.WriteCt(studies, id + ".nii.gz");
        return dir;
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"objects\": {\"a\": {\"ima")]
    [InlineData("\0\0\0\0\0\0\0\0")]
    public async Task A_damaged_json_is_moved_aside_and_the_backup_with_every_earlier_label_info_is_used(string damaged)
    {
        using var dir = Studies(out string scratch, "a", "b");
        string studies = Path.Combine(dir.Path, "studies");
        using (var store = Open(studies))
        {
            await SaveAsync(store, "a", LabelVariants.Write(scratch, 1), user: "alice");
            await SaveAsync(store, "b", LabelVariants.Write(scratch, 2), user: "bob"); // the backup now holds a's info
        }
        File.WriteAllText(Path.Combine(studies, "datastore_v2.json"), damaged);

        using (var store = Open(studies))
        {
            Assert.Equal("alice", store.LabelInfo("a", "final")["user"]!.GetValue<string>());
            Assert.NotNull(store.LabelPath("b", "final")); // b's file is re-attached by the reconcile
        }
        Assert.Single(Directory.GetFiles(studies, "datastore_v2.json.damaged-*"));
        Assert.NotNull(JsonNode.Parse(File.ReadAllText(Path.Combine(studies, "datastore_v2.json"))));
    }

    [Fact]
    public async Task A_missing_json_beside_its_backup_is_restored_from_it()
    {
        using var dir = Studies(out string scratch, "a");
        string studies = Path.Combine(dir.Path, "studies");
        using (var store = Open(studies))
        {
            await SaveAsync(store, "a", LabelVariants.Write(scratch, 1), user: "alice");
            await store.MergeImageInfoAsync("a", new JsonObject { ["x"] = 1 });
        }
        File.Delete(Path.Combine(studies, "datastore_v2.json"));
        using var reopened = Open(studies);
        Assert.Equal("alice", reopened.LabelInfo("a", "final")["user"]!.GetValue<string>());
    }

    [Fact]
    public void A_damaged_json_without_backup_is_rebuilt_from_the_files()
    {
        using var dir = Studies(out string scratch, "a");
        string studies = Path.Combine(dir.Path, "studies");
        File.WriteAllText(Path.Combine(studies, "datastore_v2.json"), "{\"name\": \"tru");
        using var store = Open(studies);
        Assert.Equal(["a"], store.ImageIds());
    }

    [Fact]
    public async Task A_save_killed_after_its_file_was_in_place_but_before_the_json_gets_its_info_back()
    {
        using var dir = Studies(out string scratch, "a");
        string studies = Path.Combine(dir.Path, "studies");
        string first = LabelVariants.Write(scratch, 1), second = LabelVariants.Write(scratch, 2);
        string jsonBefore;
        using (var store = Open(studies))
        {
            await SaveAsync(store, "a", first, user: "alice");
            await SaveAsync(store, "a", second, user: "bob");
            jsonBefore = File.ReadAllText(store.JsonPath);
            await SaveAsync(store, "a", LabelVariants.Write(scratch, 3), user: "carol");
        }
        // Back to the moment after step (3) of carol's save: her file in place, the JSON not yet written, her intent left.
        var carol = JsonNode.Parse(File.ReadAllText(Path.Combine(studies, "datastore_v2.json")))!["objects"]!["a"]!["labels"]!["final"]!["info"]!.AsObject();
        File.WriteAllText(Path.Combine(studies, "datastore_v2.json"), jsonBefore);
        string tagFolder = Path.Combine(studies, "labels", "final");
        PendingSaves.Write(tagFolder, "a", "final", ".nii.gz", carol);

        using var reopened = Open(studies);
        var info = reopened.LabelInfo("a", "final");
        Assert.Equal("carol", info["user"]!.GetValue<string>());
        Assert.Equal(3, info["version"]!.GetValue<int>());
        Assert.Equal(File.ReadAllBytes(second), File.ReadAllBytes(LabelVersions.FileOf(tagFolder, "a", 2, ".nii.gz")));
        Assert.Empty(Directory.GetFiles(Path.Combine(tagFolder, ".versions", "a"), ".pending-*"));
    }

    [Fact]
    public async Task A_save_killed_before_its_file_was_renamed_leaves_the_previous_label_current_with_its_info()
    {
        using var dir = Studies(out string scratch, "a");
        string studies = Path.Combine(dir.Path, "studies");
        string first = LabelVariants.Write(scratch, 1);
        using (var store = Open(studies)) await SaveAsync(store, "a", first, user: "alice");
        // Steps (1)-(2) of a second save: version file and intent written, upload still a hidden temporary.
        string tagFolder = Path.Combine(studies, "labels", "final");
        File.Copy(first, LabelVersions.FileOf(tagFolder, "a", 1, ".nii.gz"));
        string upload = LocalDatastore.TempFileIn(tagFolder, ".nii.gz");
        File.Copy(LabelVariants.Write(scratch, 2), upload);
        var intended = new JsonObject { ["user"] = "bob", ["version"] = 2, ["checksum"] = "SHA256:" + LabelVariants.Sha256(upload) };
        PendingSaves.Write(tagFolder, "a", "final", ".nii.gz", intended);

        using var reopened = Open(studies);
        var info = reopened.LabelInfo("a", "final");
        Assert.Equal("alice", info["user"]!.GetValue<string>());
        Assert.Equal(1, info["version"]!.GetValue<int>());
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(reopened.LabelPath("a", "final")!));
        Assert.False(File.Exists(upload));
        Assert.Empty(Directory.GetFiles(Path.Combine(tagFolder, ".versions", "a"), ".pending-*"));
    }

    [Fact]
    public void Leftover_temporaries_are_removed_at_start_and_other_hidden_files_kept()
    {
        using var dir = Studies(out _, "a");
        string studies = Path.Combine(dir.Path, "studies");
        string tag = Directory.CreateDirectory(Path.Combine(studies, "labels", "final")).FullName;
        string[] leftovers =
        [
            Path.Combine(studies, ".upload-0123456789abcdef0123456789abcdef.nii.gz"),
            Path.Combine(studies, $".datastore_v2.json.{Guid.NewGuid():N}.tmp"),
            Path.Combine(tag, $".upload-{Guid.NewGuid():N}.nii.gz"),
            Path.Combine(Directory.CreateDirectory(Path.Combine(tag, ".versions", "a")).FullName, $".3.nii.gz.{Guid.NewGuid():N}.tmp"),
        ];
        foreach (string file in leftovers) File.WriteAllText(file, "partial");
        string users = Path.Combine(studies, ".DS_Store");
        File.WriteAllText(users, "kept");

        using var store = Open(studies);
        Assert.All(leftovers, f => Assert.False(File.Exists(f), f));
        Assert.True(File.Exists(users));
    }

    [Fact]
    public void A_directory_fsync_succeeds_on_Linux()
    {
        using var dir = new TestDir();
        long before = DirectorySync.Flushes;
        bool flushed = DirectorySync.Flush(dir.Path);
        if (!OperatingSystem.IsLinux()) return; // skipped elsewhere by design (Windows journals metadata)
        Assert.True(flushed);
        Assert.True(DirectorySync.Flushes > before);
        Assert.False(DirectorySync.Flush(Path.Combine(dir.Path, "missing"))); // a failed open is reported, not thrown
    }
}
