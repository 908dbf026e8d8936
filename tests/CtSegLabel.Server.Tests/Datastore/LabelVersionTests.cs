using System.Net;
using System.Text.Json.Nodes;

namespace CtSegLabel.Server.Tests.Datastore;

/// <summary>No lost update: a label saved over another keeps the earlier file as a numbered version, readable with
/// <c>GET /datastore/label?version=N</c>, and the label's info says who saved which version when.</summary>
public class LabelVersionTests
{
    private static JsonObject LabelInfoOnDisk(ServerHarness server, string id, string tag = "final") =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(server.Studies, "datastore_v2.json")))!["objects"]![id]!["labels"]![tag]!["info"]!.AsObject();

    [Fact]
    public async Task Saving_over_a_label_keeps_the_previous_one_as_a_version_readable_by_number()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("img");
        string first = LabelVariants.Write(server.Scratch, 1), second = LabelVariants.Write(server.Scratch, 2);
        // Each Slicer sends its own client_id in every body (protocol §7.1).
        await new PluginAdapter.Client.MonaiLabelClient(server.Http, "slicer-a").SaveLabelAsync("img", first);
        await new PluginAdapter.Client.MonaiLabelClient(server.Http, "slicer-b").SaveLabelAsync("img", second);

        byte[] current = await server.Http.GetByteArrayAsync("/datastore/label?label=img&tag=final");
        byte[] version1 = await server.Http.GetByteArrayAsync("/datastore/label?label=img&tag=final&version=1");
        byte[] version2 = await server.Http.GetByteArrayAsync("/datastore/label?label=img&tag=final&version=2");
        Assert.Equal(File.ReadAllBytes(second), current);
        Assert.Equal(File.ReadAllBytes(second), version2);
        Assert.Equal(File.ReadAllBytes(first), version1);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(Path.Combine(server.Studies, "labels", "final", ".versions", "img", "1.nii.gz")));

        var info = LabelInfoOnDisk(server, "img");
        Assert.Equal(2, info["version"]!.GetValue<int>());
        Assert.Equal("admin", info["user"]!.GetValue<string>());
        Assert.Equal("img.nii.gz", info["name"]!.GetValue<string>()); // MONAI Label's keys stay as they were
        var history = info["versions"]!.AsArray().Select(r => r!.AsObject()).ToList();
        Assert.Equal([1, 2], history.Select(r => r["version"]!.GetValue<int>()));
        Assert.Equal(["slicer-a", "slicer-b"], history.Select(r => r["client_id"]!.GetValue<string>()));
        Assert.All(history, r => Assert.Equal("admin", r["user"]!.GetValue<string>()));
        Assert.All(history, r => Assert.True(r["ts"]!.GetValue<long>() > 0));
        Assert.Equal("SHA256:" + LabelVariants.Sha256(first), history[0]["checksum"]!.GetValue<string>());

        // The version folder is no label: the datastore still has one image with one final label.
        var stats = await server.Client.InfoAsync();
        Assert.Equal(1, stats.Datastore.Total);
        Assert.Equal(1, stats.Datastore.Completed);
    }

    [Fact]
    public async Task Label_info_with_a_version_answers_that_versions_record_or_404_naming_it()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("img");
        string first = LabelVariants.Write(server.Scratch, 1), second = LabelVariants.Write(server.Scratch, 2);
        await new PluginAdapter.Client.MonaiLabelClient(server.Http, "slicer-a").SaveLabelAsync("img", first);
        await new PluginAdapter.Client.MonaiLabelClient(server.Http, "slicer-b").SaveLabelAsync("img", second);

        var one = await (await server.Http.GetAsync("/datastore/label/info?label=img&tag=final&version=1")).ObjectAsync();
        var two = await (await server.Http.GetAsync("/datastore/label/info?label=img&tag=final&version=2")).ObjectAsync();
        Assert.Equal(1, one["version"]!.GetValue<int>());
        Assert.Equal("slicer-a", one["client_id"]!.GetValue<string>());
        Assert.Equal("SHA256:" + LabelVariants.Sha256(first), one["checksum"]!.GetValue<string>());
        Assert.Equal(2, two["version"]!.GetValue<int>());
        Assert.Equal("slicer-b", two["client_id"]!.GetValue<string>());
        Assert.Equal("SHA256:" + LabelVariants.Sha256(second), two["checksum"]!.GetValue<string>());
        foreach (var record in (JsonObject[])[one, two])
        {
            Assert.Equal("admin", record["user"]!.GetValue<string>());
            Assert.True(record["ts"]!.GetValue<long>() > 0);
        }

        // Without version= the answer is the label's whole info, as before.
        var current = await (await server.Http.GetAsync("/datastore/label/info?label=img&tag=final")).ObjectAsync();
        Assert.Equal(2, current["version"]!.GetValue<int>());
        Assert.Equal(2, current["versions"]!.AsArray().Count);

        string detail = await (await server.Http.GetAsync("/datastore/label/info?label=img&tag=final&version=7")).AssertDetailAsync(HttpStatusCode.NotFound);
        Assert.Contains("version 7", detail);
        Assert.Contains("img", detail);
        await (await server.Http.GetAsync("/datastore/label/info?label=other&tag=final&version=1")).AssertDetailAsync(HttpStatusCode.NotFound);
        await (await server.Http.GetAsync("/datastore/label/info?label=img&tag=final&version=0")).AssertValidationErrorAsync("query", "version");
    }

    [Fact]
    public async Task An_absent_version_is_a_404_naming_it_and_a_bad_one_a_422_naming_the_parameter()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("img");
        await server.Client.SaveLabelAsync("img", LabelVariants.Write(server.Scratch, 1));

        string detail = await (await server.Http.GetAsync("/datastore/label?label=img&tag=final&version=7")).AssertDetailAsync(HttpStatusCode.NotFound);
        Assert.Contains("version 7", detail);
        Assert.Contains("img", detail);
        await (await server.Http.GetAsync("/datastore/label?label=img&tag=final&version=0")).AssertValidationErrorAsync("query", "version");
        await (await server.Http.GetAsync("/datastore/label?label=img&tag=final&version=../1")).AssertValidationErrorAsync("query", "version");
    }

    [Fact]
    public async Task The_history_is_bounded_by_LabelVersionsKept_and_the_oldest_files_go()
    {
        await using var server = new ServerHarness(settings: new Dictionary<string, string?> { ["Server:LabelVersionsKept"] = "2" });
        await server.UploadCtAsync("img");
        var files = Enumerable.Range(1, 5).Select(n => LabelVariants.Write(server.Scratch, n)).ToList();
        foreach (string file in files) await server.Client.SaveLabelAsync("img", file);

        var info = LabelInfoOnDisk(server, "img");
        Assert.Equal(5, info["version"]!.GetValue<int>());
        Assert.Equal([3, 4, 5], info["versions"]!.AsArray().Select(r => r!["version"]!.GetValue<int>()));
        string folder = Path.Combine(server.Studies, "labels", "final", ".versions", "img");
        Assert.Equal(["3.nii.gz", "4.nii.gz"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(File.ReadAllBytes(files[3]), await server.Http.GetByteArrayAsync("/datastore/label?label=img&tag=final&version=4"));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/datastore/label?label=img&tag=final&version=2")).StatusCode);
    }

    [Fact]
    public async Task Deleting_a_label_removes_it_with_its_versions_and_a_new_save_starts_at_version_1()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("img");
        await server.Client.SaveLabelAsync("img", LabelVariants.Write(server.Scratch, 1));
        await server.Client.SaveLabelAsync("img", LabelVariants.Write(server.Scratch, 2));
        (await server.Http.DeleteAsync("/datastore/label?id=img&tag=final")).EnsureSuccessStatusCode();

        Assert.False(Directory.Exists(Path.Combine(server.Studies, "labels", "final", ".versions", "img")));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/datastore/label?label=img&tag=final&version=1")).StatusCode);
        await server.Client.SaveLabelAsync("img", LabelVariants.Write(server.Scratch, 3));
        Assert.Equal(1, LabelInfoOnDisk(server, "img")["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_client_cannot_rewrite_the_version_history_through_params_or_label_info()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("img");
        await server.Client.SaveLabelAsync("img", LabelVariants.Write(server.Scratch, 1),
            parameters: new JsonObject { ["version"] = 99, ["versions"] = new JsonArray() });
        using var form = new MultipartFormDataContent { { new StringContent("""{"version": 42, "reviewed": true}"""), "info" } };
        (await server.Http.PutAsync("/datastore/label/info?label=img&tag=final", form)).EnsureSuccessStatusCode();

        var info = LabelInfoOnDisk(server, "img");
        Assert.Equal(1, info["version"]!.GetValue<int>());
        Assert.Single(info["versions"]!.AsArray());
        Assert.True(info["reviewed"]!.GetValue<bool>());
    }
}
