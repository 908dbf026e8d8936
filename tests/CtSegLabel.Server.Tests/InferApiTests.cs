using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.PluginAdapter.Client;
using CtSegLabel.PluginAdapter.Multipart;

namespace CtSegLabel.Server.Tests;

public class InferApiTests
{
    private static JsonObject SlicerParams(string ext = ".nrrd") => new() { ["device"] = "cpu", ["result_extension"] = ext, ["result_dtype"] = "uint8" };

    [Fact]
    public async Task Infer_answers_multipart_the_extension_parses_with_the_exact_label_map()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("img");
        var output = await server.Client.InferAsync("threshold_bones", "img", SlicerParams());

        Assert.EndsWith(".nrrd", output.FileName);
        Assert.DoesNotContain('/', output.FileName);
        Assert.Equal(1, output.Params["label_names"]!["bone"]!.GetValue<int>());
        Assert.Equal(2, output.Params["label_names"]!["lung"]!.GetValue<int>());
        Assert.NotNull(output.Params["latencies"]!["total"]);

        string path = Path.Combine(server.Scratch, output.FileName);
        await File.WriteAllBytesAsync(path, output.File);
        var labels = NrrdFile.Read(path);
        Assert.Equal(VoxelType.UInt8, labels.VoxelType);
        var expected = TestVolumes.Labels();
        Assert.Equal(expected.Data, ((Volume<byte>)labels).Data);
        Assert.True(expected.Geometry.SameGrid(labels.Geometry));
    }

    [Fact]
    public async Task Multipart_framing_is_what_the_slicer_client_needs()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("img");
        using var content = new ByteArrayContent(SlicerMultipartEncoder.Encode([new("params", SlicerParams().ToJsonString())], []));
        content.Headers.TryAddWithoutValidation("Content-Type", SlicerMultipartEncoder.ContentType);
        var r = await server.Http.PostAsync("/infer/threshold_bones?image=img", content);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        byte[] body = await r.Content.ReadAsByteArrayAsync();

        string contentType = r.Content.Headers.ContentType!.ToString();
        Assert.Matches("^multipart/form-data; boundary=[0-9a-f]{32}$", contentType);
        Assert.Equal(body.Length, r.Content.Headers.ContentLength);
        Assert.False(r.Headers.TransferEncodingChunked ?? false);

        var parts = MultipartParser.Parse(contentType, body);
        Assert.Equal(["params", "image"], parts.Select(p => p.Name));
        Assert.Null(parts[0].FileName);
        Assert.Equal("application/json", parts[0].ContentType);
        Assert.Matches("^tmp[0-9a-f]{8}\\.nrrd$", parts[1].FileName);
        Assert.StartsWith("NRRD", Encoding.ASCII.GetString(parts[1].Data, 0, 4));
        Assert.EndsWith($"--{MultipartParser.BoundaryOf(contentType)}--\r\n", Encoding.ASCII.GetString(body[^40..]));
    }

    [Fact]
    public async Task Output_json_and_output_image()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("img");
        MultipartFormDataContent Form() => new() { { new StringContent(SlicerParams(".nii.gz").ToJsonString()), "params" } };

        var json = await (await server.Http.PostAsync("/infer/threshold_bones?image=img&output=json", Form())).ObjectAsync();
        Assert.Equal(2, json["label_names"]!["lung"]!.GetValue<int>());

        var image = await server.Http.PostAsync("/infer/threshold_bones?image=img&output=image", Form());
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        string name = DownloadFileName.FromContentDisposition(string.Join(";", image.Content.Headers.GetValues("Content-Disposition")));
        Assert.EndsWith(".nii.gz", name);
        string path = Path.Combine(server.Scratch, name);
        await File.WriteAllBytesAsync(path, await image.Content.ReadAsByteArrayAsync());
        Assert.Equal(TestVolumes.Labels().Data, ((Volume<byte>)NiftiFile.Read(path)).Data);
    }

    [Fact]
    public async Task Seg_nrrd_result_names_and_colours_the_segments()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("img");
        var output = await server.Client.InferAsync("threshold_bones", "img", SlicerParams(".seg.nrrd"));
        Assert.EndsWith(".seg.nrrd", output.FileName);
        string path = Path.Combine(server.Scratch, output.FileName);
        await File.WriteAllBytesAsync(path, output.File);
        var seg = NrrdFile.ReadSegmentation(path);
        Assert.Equal(["bone", "lung"], seg.Segments.OrderBy(s => s.LabelValue).Select(s => s.Name));
        Assert.Equal([1, 2], seg.Segments.OrderBy(s => s.LabelValue).Select(s => s.LabelValue));
    }

    [Fact]
    public async Task Infer_on_an_uploaded_file_or_a_session()
    {
        await using var server = new ServerHarness();
        string ct = TestVolumes.WriteCt(server.Scratch, "local volume.nii.gz");
        var fromFile = await server.Client.InferAsync("threshold_bones", "Volume 1", SlicerParams(), file: ct);
        Assert.EndsWith(".nrrd", fromFile.FileName);
        Assert.Equal(0, (await server.Client.InfoAsync()).Datastore.Total); // the file did not enter the datastore

        var session = await server.Client.CreateSessionAsync(ct);
        var fromSession = await server.Client.InferAsync("threshold_bones", "Volume 1", SlicerParams(), sessionId: session.SessionId);
        Assert.Equal(fromFile.File.Length, fromSession.File.Length);

        var gone = await Assert.ThrowsAsync<MonaiLabelClientException>(() =>
            server.Client.InferAsync("threshold_bones", "Volume 1", SlicerParams(), sessionId: "00000000-0000-0000-0000-000000000000"));
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
    }

    [Fact]
    public async Task Save_label_stores_the_result_as_the_original_label()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("img");
        var p = SlicerParams();
        p["save_label"] = true;
        await server.Client.InferAsync("threshold_bones", "img", p);
        var entry = (await server.Client.DatastoreAsync())["objects"]!["img"]!["labels"]!["original"]!;
        Assert.Equal(".nrrd", entry["ext"]!.GetValue<string>());
        Assert.Equal("threshold_bones", entry["info"]!["model"]!.GetValue<string>());
        Assert.Equal(["bone", "lung"], entry["info"]!["params"]!["label_names"]!.AsObject().Select(k => k.Key));
        Assert.True(File.Exists(Path.Combine(server.Studies, "labels", "original", "img.nrrd")));
    }

    [Fact]
    public async Task Infer_errors_name_the_offending_part()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("img");
        MultipartFormDataContent Form(string p) => new() { { new StringContent(p), "params" } };

        Assert.Contains("no_such_model", await (await server.Http.PostAsync("/infer/no_such_model?image=img", Form("{}"))).AssertDetailAsync(HttpStatusCode.NotFound));
        Assert.Contains("ghost", await (await server.Http.PostAsync("/infer/threshold_bones?image=ghost", Form("{}"))).AssertDetailAsync(HttpStatusCode.NotFound));
        await (await server.Http.PostAsync("/infer/threshold_bones", Form("{}"))).AssertValidationErrorAsync("query", "image");
        await (await server.Http.PostAsync("/infer/threshold_bones?image=img", Form("{not json"))).AssertValidationErrorAsync("body", "params");
        await (await server.Http.PostAsync("/infer/threshold_bones?image=img", Form("{\"result_extension\": \".png\"}"))).AssertValidationErrorAsync("body", "result_extension");
        await (await server.Http.PostAsync("/infer/threshold_bones?image=img", Form("{\"result_dtype\": \"complex\"}"))).AssertValidationErrorAsync("body", "result_dtype");
        string msg = await (await server.Http.PostAsync("/infer/threshold_bones?image=img", Form("{\"device\": \"cuda\"}"))).AssertValidationErrorAsync("body", "device");
        Assert.Contains("cpu", msg);
        await (await server.Http.PostAsync("/infer/threshold_bones?image=img&output=xml", Form("{}"))).AssertValidationErrorAsync("query", "output");
        Assert.Contains("DICOMweb", await (await server.Http.PostAsync("/infer/threshold_bones?image=img&output=dicom_seg", Form("{}"))).AssertDetailAsync(HttpStatusCode.UnprocessableEntity));
        Assert.Equal(HttpStatusCode.NotImplemented, (await server.Http.PostAsync("/infer/wsi/threshold_bones?image=img", Http.JsonBody("{}"))).StatusCode);
    }

    [Fact]
    public async Task Infer_answer_writer_announces_exactly_the_bytes_it_writes()
    {
        var p = new JsonObject { ["label_names"] = new JsonObject { ["bone"] = 1 }, ["text"] = "ü" };
        byte[] file = Encoding.ASCII.GetBytes("NRRD0004\nbody bytes\r\n--not-a-boundary");
        var answer = new InferAnswer(p, "/tmp/x/tmpab.nrrd", file.Length);
        using var output = new MemoryStream();
        await answer.WriteAsync(output, new MemoryStream(file));
        byte[] body = output.ToArray();
        Assert.Equal(answer.ContentLength, body.Length);
        Assert.Matches(new Regex("^[0-9a-f]{32}$"), answer.Boundary);
        Assert.Equal("tmpab.nrrd", answer.FileName);
        var parts = MultipartParser.Parse(answer.ContentType, body);
        Assert.Equal("ü", JsonNode.Parse(parts[0].Data)!["text"]!.GetValue<string>());
        Assert.Equal(file, parts[1].Data);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new InferAnswer(p, "a.nrrd", file.Length + 1).WriteAsync(new MemoryStream(), new MemoryStream(file)));
    }
}
