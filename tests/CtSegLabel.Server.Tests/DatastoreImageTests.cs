using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CtSegLabel.PluginAdapter.Client;
using CtSegLabel.PluginAdapter.Multipart;

namespace CtSegLabel.Server.Tests;

public class DatastoreImageTests
{
    [Fact]
    public async Task Slicer_upload_on_the_deprecated_spelling_stores_the_image_and_its_info()
    {
        await using var server = new ServerHarness();
        string file = TestVolumes.WriteCt(server.Scratch, "tmpab12cd.nii.gz");
        var answer = await server.Client.UploadImageAsync(file, "spleen_10", new JsonObject { ["note"] = "first" });
        Assert.Equal("spleen_10", answer["image"]!.GetValue<string>());

        string stored = Path.Combine(server.Studies, "spleen_10.nii.gz");
        Assert.Equal(await File.ReadAllBytesAsync(file), await File.ReadAllBytesAsync(stored));
        var obj = (await server.Client.DatastoreAsync())["objects"]!["spleen_10"]!;
        Assert.Equal(".nii.gz", obj["image"]!["ext"]!.GetValue<string>());
        var info = obj["image"]!["info"]!;
        Assert.Equal("spleen_10.nii.gz", info["name"]!.GetValue<string>());
        Assert.Equal("user-xyz", info["client_id"]!.GetValue<string>());
        Assert.Equal("first", info["note"]!.GetValue<string>());
        Assert.Equal("admin", info["user"]!.GetValue<string>());
        Assert.True(info["ts"]!.GetValue<long>() > 1_700_000_000);

        // The datastore file on disk says the same, in MONAI Label's layout.
        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(server.Studies, "datastore_v2.json")))!;
        Assert.Equal(".", json["images_dir"]!.GetValue<string>());
        Assert.Equal("labels", json["labels_dir"]!.GetValue<string>());
        Assert.Equal("spleen_10.nii.gz", json["objects"]!["spleen_10"]!["image"]!["info"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ids_arrive_quote_plus_encoded_and_are_decoded()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("Volume 1");
        Assert.True(File.Exists(Path.Combine(server.Studies, "Volume 1.nii.gz")));
        var download = await server.Client.DownloadImageAsync("Volume 1");
        Assert.Equal("Volume 1.nii.gz", download.FileName);
        var raw = await server.Http.GetAsync("/datastore/image?image=Volume+1");
        Assert.Equal("attachment; filename*=utf-8''Volume%201.nii.gz", string.Join(";", raw.Content.Headers.GetValues("Content-Disposition")));
    }

    [Fact]
    public async Task Requests_style_upload_to_image_route_takes_the_id_from_the_file_name_when_none_is_given()
    {
        await using var server = new ServerHarness();
        string file = TestVolumes.WriteCt(server.Scratch, "case_007.nii.gz");
        using var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(file)), "file", "case_007.nii.gz" } };
        var answer = await (await server.Http.PutAsync("/datastore/image", form)).ObjectAsync();
        Assert.Equal("case_007", answer["image"]!.GetValue<string>());
    }

    [Fact]
    public async Task Windows_style_full_path_in_filename_only_contributes_the_extension()
    {
        await using var server = new ServerHarness();
        string file = TestVolumes.WriteCt(server.Scratch, "x.nii.gz");
        byte[] body = SlicerMultipartEncoder.Encode([new("params", "{}")], [new("file", file)]);
        // Re-encode with a Windows path as the file name, as Slicer on Windows sends it.
        string text = System.Text.Encoding.Latin1.GetString(body).Replace(file, @"C:\Users\me\AppData\Local\Temp\tmpq1w2e3.nii.gz");
        using var content = new ByteArrayContent(System.Text.Encoding.Latin1.GetBytes(text));
        content.Headers.TryAddWithoutValidation("Content-Type", SlicerMultipartEncoder.ContentType);
        var answer = await (await server.Http.PutAsync("/datastore/", content)).ObjectAsync();
        Assert.Equal("tmpq1w2e3", answer["image"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(server.Studies, "tmpq1w2e3.nii.gz")));
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData(".hidden")]
    public async Task Upload_refuses_ids_that_could_leave_the_folder(string id)
    {
        await using var server = new ServerHarness();
        string file = TestVolumes.WriteCt(server.Scratch);
        var e = await Assert.ThrowsAsync<MonaiLabelClientException>(() => server.Client.UploadImageAsync(file, id));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, e.Status);
        Assert.Contains("\"image\"", e.Body);
        Assert.Single(Directory.GetFiles(server.Studies)); // only datastore_v2.json
    }

    [Fact]
    public async Task Upload_refuses_an_id_longer_than_the_bound()
    {
        await using var server = new ServerHarness();
        string file = TestVolumes.WriteCt(server.Scratch);
        var e = await Assert.ThrowsAsync<MonaiLabelClientException>(() => server.Client.UploadImageAsync(file, new string('a', 201)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, e.Status);
    }

    [Fact]
    public async Task Upload_without_a_file_part_or_with_an_unknown_extension_is_422_naming_file()
    {
        await using var server = new ServerHarness();
        using var noFile = new MultipartFormDataContent { { new StringContent("{}"), "params" } };
        await (await server.Http.PutAsync("/datastore/?image=x", noFile)).AssertValidationErrorAsync("body", "file");

        using var badExt = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "file", "scan.exe" } };
        string msg = await (await server.Http.PutAsync("/datastore/?image=x", badExt)).AssertValidationErrorAsync("body", "file");
        Assert.Contains("scan.exe", msg);
    }

    [Fact]
    public async Task Upload_with_params_that_are_not_a_json_object_is_422_naming_params()
    {
        await using var server = new ServerHarness();
        using var form = new MultipartFormDataContent
        {
            { new StringContent("[1, 2]"), "params" },
            { new ByteArrayContent([1, 2, 3]), "file", "a.nii.gz" },
        };
        await (await server.Http.PutAsync("/datastore/image?image=x", form)).AssertValidationErrorAsync("body", "params");
    }

    [Fact]
    public async Task Configured_image_extensions_replace_the_default_list()
    {
        await using var server = new ServerHarness(settings: new Dictionary<string, string?> { ["Server:ImageExtensions:0"] = ".nrrd" });
        string file = TestVolumes.WriteCt(server.Scratch);
        var e = await Assert.ThrowsAsync<MonaiLabelClientException>(() => server.Client.UploadImageAsync(file, "x"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, e.Status);
        Assert.Contains(".nrrd", e.Body);
        File.Copy(file, Path.Combine(server.Studies, "ignored.nii.gz"));
        Assert.Equal(0, (await server.Client.InfoAsync()).Datastore.Total);
    }

    [Fact]
    public async Task Download_has_octet_stream_and_a_quoted_filename()
    {
        await using var server = new ServerHarness();
        string file = await server.UploadCtAsync("img");
        var r = await server.Http.GetAsync("/datastore/image?image=img");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("application/octet-stream", r.Content.Headers.ContentType!.MediaType);
        string cd = string.Join(";", r.Content.Headers.GetValues("Content-Disposition"));
        Assert.Equal("attachment; filename=\"img.nii.gz\"", cd);
        Assert.Equal("img.nii.gz", DownloadFileName.FromContentDisposition(cd));
        Assert.Equal(await File.ReadAllBytesAsync(file), await r.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Missing_image_is_404_with_detail_for_get_and_head()
    {
        await using var server = new ServerHarness();
        Assert.Equal("Image NOT Found or is a directory", await (await server.Http.GetAsync("/datastore/image?image=nope")).AssertDetailAsync(HttpStatusCode.NotFound));
        var head = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/datastore/image?image=nope"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.NotNull(head.Content.Headers.ContentType);
        await (await server.Http.GetAsync("/datastore/image")).AssertValidationErrorAsync("query", "image");
    }

    [Fact]
    public async Task Head_checks_existence_and_checksum()
    {
        await using var server = new ServerHarness();
        string file = await server.UploadCtAsync("img");
        string sha = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file)));
        async Task<HttpStatusCode> Head(string q) => (await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/datastore/image?image=img" + q))).StatusCode;
        Assert.Equal(HttpStatusCode.OK, await Head(""));
        Assert.Equal(HttpStatusCode.OK, await Head("&check_sum=SHA256:" + sha));
        Assert.Equal(HttpStatusCode.OK, await Head("&check_sum=" + sha));
        Assert.Equal(HttpStatusCode.NotFound, await Head("&check_sum=SHA256:" + new string('0', 64)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, await Head("&check_sum=CRC:zz"));
    }

    [Fact]
    public async Task Image_info_get_and_merge()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("img");
        var info = await (await server.Http.GetAsync("/datastore/image/info?image=img")).ObjectAsync();
        Assert.Equal(Path.Combine(server.Studies, "img.nii.gz"), info["path"]!.GetValue<string>());
        Assert.Equal("img.nii.gz", info["name"]!.GetValue<string>());
        Assert.Empty(await (await server.Http.GetAsync("/datastore/image/info?image=unknown")).ObjectAsync());

        using var form = new MultipartFormDataContent { { new StringContent("{\"reviewed\": true}"), "info" } };
        var put = await server.Http.PutAsync("/datastore/image/info?image=img", form);
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Null(await put.JsonAsync());
        info = await (await server.Http.GetAsync("/datastore/image/info?image=img")).ObjectAsync();
        Assert.True(info["reviewed"]!.GetValue<bool>());
        Assert.Equal("img.nii.gz", info["name"]!.GetValue<string>());

        using var unknown = new MultipartFormDataContent { { new StringContent("{}"), "info" } };
        await (await server.Http.PutAsync("/datastore/image/info?image=unknown", unknown)).AssertDetailAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_removes_the_image_its_labels_and_the_entry()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("img");
        await server.SubmitLabelsAsync("img");
        var r = await server.Http.DeleteAsync("/datastore/image?id=img");
        Assert.Empty(await r.ObjectAsync());
        Assert.False(File.Exists(Path.Combine(server.Studies, "img.nii.gz")));
        Assert.False(File.Exists(Path.Combine(server.Studies, "labels", "final", "img.nii.gz")));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/datastore/image?image=img")).StatusCode);
        Assert.Empty((await server.Client.DatastoreAsync())["objects"]!.AsObject());

        await (await server.Http.DeleteAsync("/datastore/?id=img")).AssertDetailAsync(HttpStatusCode.NotFound);
        await (await server.Http.DeleteAsync("/datastore/image")).AssertValidationErrorAsync("query", "id");
    }

    [Fact]
    public async Task Datastore_outputs_stats_all_train_and_rejects_others()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("a");
        await server.SubmitLabelsAsync("a");
        await server.UploadCtAsync("b");

        var stats = await (await server.Http.GetAsync("/datastore/")).ObjectAsync();
        Assert.Equal(2, stats["total"]!.GetValue<int>());
        Assert.Equal(1, stats["completed"]!.GetValue<int>());
        Assert.Equal(1, stats["label_tags"]!["final"]!.GetValue<int>());

        var all = await (await server.Http.GetAsync("/datastore/?output=all")).ObjectAsync();
        Assert.Equal(["a", "b"], all["objects"]!.AsObject().Select(p => p.Key));
        Assert.False(all.ContainsKey("base_path"));

        var train = Assert.IsType<JsonArray>(await (await server.Http.GetAsync("/datastore/?output=train")).JsonAsync());
        var pair = Assert.Single(train)!;
        Assert.Equal(Path.Combine(server.Studies, "a.nii.gz"), pair["image"]!.GetValue<string>());
        Assert.Equal(Path.Combine(server.Studies, "labels", "final", "a.nii.gz"), pair["label"]!.GetValue<string>());

        await (await server.Http.GetAsync("/datastore/?output=bogus")).AssertValidationErrorAsync("query", "output");
    }

    [Fact]
    public async Task Oversize_upload_is_413_before_the_body_is_read()
    {
        await using var server = new ServerHarness(settings: new Dictionary<string, string?> { ["Server:MaxUploadBytes"] = "4096" });
        using var form = new MultipartFormDataContent { { new ByteArrayContent(new byte[10_000]), "file", "big.nii.gz" } };
        string detail = await (await server.Http.PutAsync("/datastore/?image=big", form)).AssertDetailAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("4096", detail);
        Assert.False(File.Exists(Path.Combine(server.Studies, "big.nii.gz")));
    }

    [Fact]
    public async Task Unknown_routes_and_methods_answer_json()
    {
        await using var server = new ServerHarness();
        Assert.Equal("Not Found", await (await server.Http.GetAsync("/no/such/route")).AssertDetailAsync(HttpStatusCode.NotFound));
        var wrongMethod = await server.Http.PatchAsync("/info/", new StringContent(""));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Equal("application/json", wrongMethod.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Dataset_zip_holds_labeled_images_labels_and_metadata()
    {
        await using var server = new ServerHarness();
        await (await server.Http.GetAsync("/datastore/dataset")).AssertDetailAsync(HttpStatusCode.NotFound);
        await server.UploadCtAsync("a");
        await server.UploadCtAsync("b");
        await server.SubmitLabelsAsync("a");
        var r = await server.Http.GetAsync("/datastore/dataset");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("dataset.zip", DownloadFileName.FromContentDisposition(string.Join(";", r.Content.Headers.GetValues("Content-Disposition"))));
        using var zip = new System.IO.Compression.ZipArchive(new MemoryStream(await r.Content.ReadAsByteArrayAsync()));
        Assert.Equal(["image/a.nii.gz", "label/a.nii.gz", "metadata.json"], zip.Entries.Select(e => e.FullName).Order());
        await (await server.Http.GetAsync("/datastore/dataset?limit_cases=x")).AssertValidationErrorAsync("query", "limit_cases");
    }

    [Fact]
    public async Task Every_json_answer_to_a_multipart_request_has_a_content_type()
    {
        await using var server = new ServerHarness();
        string file = TestVolumes.WriteCt(server.Scratch);
        using var content = new ByteArrayContent(SlicerMultipartEncoder.Encode([new("params", "{}")], [new("file", file)]));
        content.Headers.TryAddWithoutValidation("Content-Type", SlicerMultipartEncoder.ContentType);
        var r = await server.Http.PutAsync("/datastore/?image=x", content);
        Assert.Equal("application/json", r.Content.Headers.ContentType?.MediaType);
    }
}
