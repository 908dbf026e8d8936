using System.Net;
using System.Text.Json.Nodes;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.PluginAdapter.Client;
using CtSegLabel.PluginAdapter.Multipart;

namespace CtSegLabel.Server.Tests;

public class DatastoreLabelTests
{
    private static readonly JsonArray LabelInfo = new(
        new JsonObject { ["name"] = "bone", ["idx"] = 1 },
        new JsonObject { ["name"] = "lung", ["idx"] = 3 });

    [Fact]
    public async Task Submitted_label_without_tag_is_final_with_label_info_stored_verbatim()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("img");
        string label = TestVolumes.WriteLabels(server.Scratch, "tmplab.nii.gz");
        var answer = await server.Client.SaveLabelAsync("img", label, parameters: new JsonObject
        {
            ["label_info"] = LabelInfo.DeepClone(),
            ["model"] = "threshold_bones",
        });
        Assert.Equal("img", answer["image"]!.GetValue<string>());
        Assert.Equal("img", answer["label"]!.GetValue<string>());

        string stored = Path.Combine(server.Studies, "labels", "final", "img.nii.gz");
        Assert.Equal(await File.ReadAllBytesAsync(label), await File.ReadAllBytesAsync(stored));
        var entry = (await server.Client.DatastoreAsync())["objects"]!["img"]!["labels"]!["final"]!;
        Assert.Equal(".nii.gz", entry["ext"]!.GetValue<string>());
        var info = entry["info"]!;
        Assert.True(JsonNode.DeepEquals(LabelInfo, info["label_info"]));
        Assert.Equal("threshold_bones", info["model"]!.GetValue<string>());
        Assert.Equal("user-xyz", info["client_id"]!.GetValue<string>());
        Assert.Equal("admin", info["user"]!.GetValue<string>());
        Assert.Equal("img.nii.gz", info["name"]!.GetValue<string>());

        var onDisk = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(server.Studies, "datastore_v2.json")))!;
        Assert.True(JsonNode.DeepEquals(LabelInfo, onDisk["objects"]!["img"]!["labels"]!["final"]!["info"]!["label_info"]));
    }

    [Fact]
    public async Task Label_download_head_and_info_routes()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("img");
        string label = await server.SubmitLabelsAsync("img");

        var download = await server.Client.DownloadLabelAsync("img", "final");
        Assert.Equal("img.nii.gz", download.FileName);
        Assert.Equal(await File.ReadAllBytesAsync(label), download.Content);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/datastore/label?image=img&tag=final"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/datastore/label?image=img&tag=original"))).StatusCode);
        Assert.Equal("Label NOT Found or is a directory", await (await server.Http.GetAsync("/datastore/label?label=img&tag=original")).AssertDetailAsync(HttpStatusCode.NotFound));
        await (await server.Http.GetAsync("/datastore/label?label=img")).AssertValidationErrorAsync("query", "tag");

        var info = await (await server.Http.GetAsync("/datastore/label/info?label=img&tag=final")).ObjectAsync();
        Assert.Equal("bone", info["label_info"]![0]!["name"]!.GetValue<string>());
        Assert.Empty(await (await server.Http.GetAsync("/datastore/label/info?label=img&tag=original")).ObjectAsync());

        using var form = new MultipartFormDataContent { { new StringContent("{\"approved\": true}"), "info" } };
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PutAsync("/datastore/label/info?label=img&tag=final", form)).StatusCode);
        // The Reviewer module's deprecated spelling, urlencoded, field "params".
        using var urlencoded = new FormUrlEncodedContent([new("params", "{\"reviewer\": \"dr x\"}")]);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PutAsync("/datastore/updatelabelinfo?label=img&tag=final", urlencoded)).StatusCode);
        info = await (await server.Http.GetAsync("/datastore/label/info?label=img&tag=final")).ObjectAsync();
        Assert.True(info["approved"]!.GetValue<bool>());
        Assert.Equal("dr x", info["reviewer"]!.GetValue<string>());
        Assert.Equal("bone", info["label_info"]![0]!["name"]!.GetValue<string>());

        using var unknown = new MultipartFormDataContent { { new StringContent("{}"), "info" } };
        await (await server.Http.PutAsync("/datastore/label/info?label=img&tag=nope", unknown)).AssertDetailAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Tags_other_than_final_are_folders_and_do_not_complete_the_image()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("img");
        await server.SubmitLabelsAsync("img", tag: "original");
        Assert.True(File.Exists(Path.Combine(server.Studies, "labels", "original", "img.nii.gz")));
        var stats = await (await server.Http.GetAsync("/datastore/")).ObjectAsync();
        Assert.Equal(0, stats["completed"]!.GetValue<int>());
        Assert.Equal(1, stats["label_tags"]!["original"]!.GetValue<int>());
        Assert.Equal("img", (await server.Client.NextSampleAsync("first"))["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Label_of_another_shape_is_422_naming_both_shapes()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("img");
        string wrong = TestVolumes.WriteLabels(server.Scratch, "wrong.nii.gz", new Shape3(24, 20, 5));
        var e = await Assert.ThrowsAsync<MonaiLabelClientException>(() => server.Client.SaveLabelAsync("img", wrong));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, e.Status);
        string detail = JsonNode.Parse(e.Body)!["detail"]!.GetValue<string>();
        Assert.Contains(new Shape3(24, 20, 5).ToString(), detail);
        Assert.Contains(TestVolumes.DefaultShape.ToString(), detail);
        Assert.False(Directory.Exists(Path.Combine(server.Studies, "labels", "final")) &&
                     Directory.EnumerateFiles(Path.Combine(server.Studies, "labels", "final")).Any());
        Assert.Equal(0, (await server.Client.InfoAsync()).Datastore.Completed);
    }

    [Fact]
    public async Task Unreadable_label_volume_is_422_naming_the_field()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("img");
        string broken = Path.Combine(server.Scratch, "broken.nii.gz");
        await File.WriteAllBytesAsync(broken, [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3]);
        var e = await Assert.ThrowsAsync<MonaiLabelClientException>(() => server.Client.SaveLabelAsync("img", broken));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, e.Status);
        Assert.Contains("broken.nii.gz", e.Body);
    }

    [Fact]
    public async Task Label_for_a_missing_image_or_without_image_parameter_is_rejected()
    {
        await using var server = new ServerHarness();
        string label = TestVolumes.WriteLabels(server.Scratch);
        var missing = await Assert.ThrowsAsync<MonaiLabelClientException>(() => server.Client.SaveLabelAsync("ghost", label));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Contains("ghost", missing.Body);

        using var content = new ByteArrayContent(SlicerMultipartEncoder.Encode([new("params", "{}")], [new("label", label)]));
        content.Headers.TryAddWithoutValidation("Content-Type", SlicerMultipartEncoder.ContentType);
        await (await server.Http.PutAsync("/datastore/label", content)).AssertValidationErrorAsync("query", "image");

        using var noFile = new MultipartFormDataContent { { new StringContent("{}"), "params" } };
        await (await server.Http.PutAsync("/datastore/label?image=ghost", noFile)).AssertValidationErrorAsync("body", "label");
        await (await server.Http.PutAsync("/datastore/label?image=ghost&tag=../x", noFile)).AssertValidationErrorAsync("query", "tag");
    }

    [Fact]
    public async Task Seg_nrrd_label_keeps_its_extension()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("img");
        string seg = Path.Combine(server.Scratch, "tmpseg.seg.nrrd");
        var labels = TestVolumes.Labels();
        NrrdFile.WriteSegmentation(seg, new Segmentation(labels, [
            new SegmentInfo("Segment_1", "bone", new Imaging.Anatomy.Rgb(241, 214, 145), 1),
            new SegmentInfo("Segment_2", "lung", new Imaging.Anatomy.Rgb(197, 165, 145), 2)]));
        await server.Client.SaveLabelAsync("img", seg);
        Assert.True(File.Exists(Path.Combine(server.Studies, "labels", "final", "img.seg.nrrd")));
        Assert.Equal("img.seg.nrrd", (await server.Client.DownloadLabelAsync("img", "final")).FileName);

        // Replacing it with a .nii.gz removes the old file.
        await server.SubmitLabelsAsync("img");
        Assert.False(File.Exists(Path.Combine(server.Studies, "labels", "final", "img.seg.nrrd")));
        Assert.Equal(".nii.gz", (await server.Client.DatastoreAsync())["objects"]!["img"]!["labels"]!["final"]!["ext"]!.GetValue<string>());
    }

    [Fact]
    public async Task Delete_label_removes_file_and_entry()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("img");
        await server.SubmitLabelsAsync("img");
        Assert.Empty(await (await server.Http.DeleteAsync("/datastore/label?id=img&tag=final")).ObjectAsync());
        Assert.False(File.Exists(Path.Combine(server.Studies, "labels", "final", "img.nii.gz")));
        Assert.Equal(0, (await server.Client.InfoAsync()).Datastore.Completed);
        await (await server.Http.DeleteAsync("/datastore/label?id=img&tag=final")).AssertDetailAsync(HttpStatusCode.NotFound);
    }
}
