using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Cli;
using CtSegLabel.CtApp;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Imaging.Volumes;
using Microsoft.Extensions.DependencyInjection;

namespace CtSegLabel.Server.Tests;

/// <summary><c>/model/{model}/versions</c> and what uploads, info, download and retire do for an app with versions (the CT app).</summary>
public class ModelVersionsApiTests
{
    private const string Model = CtSegmentationApp.SwinUnetrV2Model;

    private static string Init(string path, string arch = "swinunetr-v2", int seed = 1)
    {
        string[] sizes = arch == "swinunetr-v2" ? ["--in-plane", "32", "--block-slices", "32"] : [];
        var error = new StringWriter();
        int code = CommandRunner.Run(CtsegCommands.All,
            ["model", "init", "--arch", arch, "--config", "tiny", "--classes", "37", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), .. sizes, "--out", path],
            new StringWriter(), error);
        Assert.True(code == 0, error.ToString());
        return path;
    }

    private static MultipartFormDataContent FileForm(string path, string name) =>
        new() { { new ByteArrayContent(File.ReadAllBytes(path)), "file", name } };

    private static Task<HttpResponseMessage> SetCurrent(ServerHarness server, string query, string? body = null) =>
        server.Http.PutAsync($"/model/{Model}/versions/current{query}", body is null ? null : Http.JsonBody(body));

    [Fact]
    public async Task Upload_publish_list_roll_back_and_download_the_current_version()
    {
        await using var server = new ServerHarness(testApp: false);
        var empty = await (await server.Http.GetAsync($"/model/{Model}/versions")).ObjectAsync();
        Assert.Null(empty["current"]);
        Assert.Empty(empty["versions"]!.AsArray());

        // PUT /model/{model} publishes the upload as v1 instead of writing over a file.
        string uploaded = Init(Path.Combine(server.Scratch, "mine.ctseg"), seed: 1);
        var put = await (await server.Http.PutAsync($"/model/{Model}", FileForm(uploaded, "mine.ctseg"))).ObjectAsync();
        Assert.Equal("v1.ctseg", put["version"]!.GetValue<string>());
        string folder = Path.Combine(server.Models, Model);
        Assert.Equal("SHA256:" + Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Path.Combine(folder, "v1.ctseg")))), put["checksum"]!.GetValue<string>());

        // A training publishes v2 with its metrics; it is served from now on.
        var app = (CtSegmentationApp)server.Services.GetRequiredService<ISegmentationApp>();
        app.Store.Publish(Model, Init(Path.Combine(server.Scratch, "trained.ctseg"), seed: 2), new VersionRecord
        {
            Source = VersionRecord.FineTune, Parent = "v1.ctseg", Metrics = new JsonObject { ["best_dice"] = 0.71, ["epochs"] = 4 },
        });

        var listed = await (await server.Http.GetAsync($"/model/{Model}/versions")).ObjectAsync();
        Assert.Equal("v2.ctseg", listed["current"]!.GetValue<string>());
        var versions = listed["versions"]!.AsArray();
        Assert.Equal(["v2.ctseg", "v1.ctseg"], versions.Select(v => v!["name"]!.GetValue<string>()));
        Assert.Equal(["fine-tune", "upload"], versions.Select(v => v!["source"]!.GetValue<string>()));
        Assert.Equal([true, false], versions.Select(v => v!["current"]!.GetValue<bool>()));
        Assert.Equal(0.71, versions[0]!["metrics"]!["best_dice"]!.GetValue<double>());
        Assert.Equal("v1.ctseg", versions[0]!["parent"]!.GetValue<string>());
        Assert.Equal("0.0.0-untrained+v2", versions[0]!["model_version"]!.GetValue<string>());
        Assert.True(DateTimeOffset.Parse(versions[0]!["created"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddMinutes(-5));

        await AssertServedAsync(server, "v2.ctseg");

        // Roll back by query, forward again by body; the next download (and the info) follow without a restart.
        var back = await (await SetCurrent(server, "?version=v1")).ObjectAsync();
        Assert.Equal("v1.ctseg", back["name"]!.GetValue<string>());
        Assert.True(back["current"]!.GetValue<bool>());
        await AssertServedAsync(server, "v1.ctseg");
        await (await SetCurrent(server, "", "{\"version\": \"v2.ctseg\"}")).ObjectAsync();
        await AssertServedAsync(server, "v2.ctseg");
    }

    private static async Task AssertServedAsync(ServerHarness server, string version)
    {
        var info = await (await server.Http.GetAsync($"/model/info/{Model}")).ObjectAsync();
        Assert.Equal(version, info["version"]!.GetValue<string>());
        var download = await server.Http.GetAsync($"/model/{Model}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal($"attachment; filename=\"{Model}.ctseg\"", string.Join(";", download.Content.Headers.GetValues("Content-Disposition")));
        Assert.Equal(version, Assert.Single(download.Headers.GetValues("X-Model-Version")));
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(server.Models, Model, version)), await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Inference_follows_a_rollback_without_a_restart()
    {
        await using var server = new ServerHarness(testApp: false);
        var phantom = PhantomGenerator.Generate(5, 0, new PhantomOptions
        {
            Size = 64, Slices = 30, Range = RangeKind.Thorax, Orientation = PhantomOrientation.Lps, Spacing = new Vec3(7.5, 7.5, 3.0),
        });
        string ct = Path.Combine(server.Scratch, "chest.nii.gz");
        NiftiFile.Write(ct, phantom.Ct);
        await server.Client.UploadImageAsync(ct, "chest");
        foreach (int seed in new[] { 1, 2 })
            await (await server.Http.PutAsync($"/model/{Model}", FileForm(Init(Path.Combine(server.Scratch, $"s{seed}.ctseg"), seed: seed), "w.ctseg"))).ObjectAsync();
        var parameters = new JsonObject { ["statistics"] = false, ["result_extension"] = ".nii.gz" };

        var latest = await server.Client.InferAsync(Model, "chest", parameters);
        Assert.Equal("v2.ctseg", latest.Params["checkpoint"]!.GetValue<string>());
        Assert.Equal("0.0.0-untrained+v2", latest.Params["model_version"]!.GetValue<string>());

        await (await SetCurrent(server, "?version=v1")).ObjectAsync();
        var older = await server.Client.InferAsync(Model, "chest", parameters);
        Assert.Equal("v1.ctseg", older.Params["checkpoint"]!.GetValue<string>());
        Assert.Equal("0.0.0-untrained+v1", older.Params["model_version"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bad_names_and_bad_uploads_are_refused_and_change_nothing()
    {
        await using var server = new ServerHarness(testApp: false);
        string v1 = Init(Path.Combine(server.Scratch, "a.ctseg"));
        await (await server.Http.PutAsync($"/model/{Model}", FileForm(v1, "a.ctseg"))).ObjectAsync();

        await (await SetCurrent(server, "?version=..%2Fslice_transformer%2Fv1.ctseg")).AssertValidationErrorAsync("query", "version");
        await (await SetCurrent(server, "", "{\"version\": \".hidden\"}")).AssertValidationErrorAsync("body", "version");
        await (await SetCurrent(server, "", "{\"version\": 3}")).AssertValidationErrorAsync("body", "version");
        await (await SetCurrent(server, "")).AssertValidationErrorAsync("query", "version");
        await (await SetCurrent(server, "", "[1]")).AssertValidationErrorAsync("body", "body");
        string unknown = await (await SetCurrent(server, "?version=v9")).AssertDetailAsync(HttpStatusCode.NotFound);
        Assert.Contains("'v9'", unknown);
        Assert.Contains("v1.ctseg", unknown);
        Assert.Contains("nope", await (await server.Http.GetAsync("/model/nope/versions")).AssertDetailAsync(HttpStatusCode.NotFound));

        // Not a checkpoint, or a checkpoint of the other network: 422 naming the file sent; v1 stays the only version.
        string junk = Path.Combine(server.Scratch, "junk.ctseg");
        await File.WriteAllTextAsync(junk, "not weights");
        string notCheckpoint = await (await server.Http.PutAsync($"/model/{Model}", FileForm(junk, "junk.ctseg"))).AssertDetailAsync(HttpStatusCode.UnprocessableEntity);
        Assert.StartsWith("junk.ctseg: format:", notCheckpoint);
        string slice = Init(Path.Combine(server.Scratch, "slice.ctseg"), arch: "slice");
        string wrongNetwork = await (await server.Http.PutAsync($"/model/{Model}", FileForm(slice, "slice.ctseg"))).AssertDetailAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("runs swinunetr-v2 checkpoints", wrongNetwork);
        var listed = await (await server.Http.GetAsync($"/model/{Model}/versions")).ObjectAsync();
        Assert.Equal(["v1.ctseg"], listed["versions"]!.AsArray().Select(v => v!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Retiring_the_current_version_serves_the_newest_left()
    {
        await using var server = new ServerHarness(testApp: false);
        foreach (int seed in new[] { 1, 2 })
            await (await server.Http.PutAsync($"/model/{Model}", FileForm(Init(Path.Combine(server.Scratch, $"s{seed}.ctseg"), seed: seed), "w.ctseg"))).ObjectAsync();
        Assert.Empty(await (await server.Http.DeleteAsync($"/model/{Model}")).ObjectAsync());
        Assert.Single(Directory.GetFiles(Path.Combine(server.Models, Model), "v2.ctseg.*.deleted"));
        var listed = await (await server.Http.GetAsync($"/model/{Model}/versions")).ObjectAsync();
        Assert.Equal("v1.ctseg", listed["current"]!.GetValue<string>());
        Assert.Equal("v1.ctseg", (await (await server.Http.GetAsync($"/model/info/{Model}")).ObjectAsync())["version"]!.GetValue<string>());

        // The next upload does not reuse the retired number.
        var put = await (await server.Http.PutAsync($"/model/{Model}", FileForm(Init(Path.Combine(server.Scratch, "s3.ctseg"), seed: 3), "w.ctseg"))).ObjectAsync();
        Assert.Equal("v3.ctseg", put["version"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_app_without_versions_says_so()
    {
        await using var server = new ServerHarness();
        string detail = await (await server.Http.GetAsync("/model/threshold_bones/versions")).AssertDetailAsync(HttpStatusCode.NotFound);
        Assert.Contains("keeps no versions", detail);
        await (await server.Http.PutAsync("/model/threshold_bones/versions/current?version=v1", null)).AssertDetailAsync(HttpStatusCode.NotFound);
    }
}
