using System.Net;
using System.Security.Cryptography;
using CtSegLabel.TestApp;

namespace CtSegLabel.Server.Tests;

public class ModelApiTests
{
    [Fact]
    public async Task Without_a_model_file_every_route_is_404_with_the_documented_message()
    {
        await using var server = new ServerHarness();
        Assert.Equal("Model File NOT Found for threshold_bones",
            await (await server.Http.GetAsync("/model/info/threshold_bones")).AssertDetailAsync(HttpStatusCode.NotFound));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/model/threshold_bones")).StatusCode);
        Assert.Contains("nope", await (await server.Http.GetAsync("/model/info/nope")).AssertDetailAsync(HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task Upload_download_checksum_and_retire_the_model_file()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("img");
        byte[] weights = System.Text.Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new ThresholdParameters(BoneMinHu: 800)));
        using var form = new MultipartFormDataContent { { new ByteArrayContent(weights), "file", "threshold_bones.json" } };
        var put = await (await server.Http.PutAsync("/model/threshold_bones", form)).ObjectAsync();
        string sha = "SHA256:" + Convert.ToHexStringLower(SHA256.HashData(weights));
        Assert.Equal(sha, put["checksum"]!.GetValue<string>());

        var info = await (await server.Http.GetAsync("/model/info/threshold_bones")).ObjectAsync();
        Assert.Equal(sha, info["checksum"]!.GetValue<string>());
        Assert.True(info["modified_time"]!.GetValue<long>() > 1_700_000_000);
        var download = await server.Http.GetAsync("/model/threshold_bones");
        Assert.Equal(weights, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("attachment; filename=\"threshold_bones.json\"", string.Join(";", download.Content.Headers.GetValues("Content-Disposition")));

        // The uploaded model is the one inference uses: bone threshold 800 HU leaves no bone at 700 HU.
        var output = await server.Client.InferAsync("threshold_bones", "img", new System.Text.Json.Nodes.JsonObject { ["result_extension"] = ".nii.gz" });
        Assert.Equal(0, output.Params["voxels"]!["bone"]!.GetValue<long>());

        Assert.Empty(await (await server.Http.DeleteAsync("/model/threshold_bones")).ObjectAsync());
        Assert.Single(Directory.GetFiles(server.Models, "threshold_bones.json.*.deleted"));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/model/threshold_bones")).StatusCode);

        using var empty = new MultipartFormDataContent { { new StringContent("x"), "other" } };
        await (await server.Http.PutAsync("/model/threshold_bones", empty)).AssertValidationErrorAsync("body", "file");
    }
}
