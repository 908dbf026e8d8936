using System.Diagnostics;
using System.Net;
using CtSegLabel.Imaging.Volumes;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CtSegLabel.Server.Tests.Limits;

/// <summary>
/// Gzip bombs and oversize volumes on every route that takes a volume upload (image, label, infer, session): each is
/// refused with a 4xx naming the form field and the problem, and nothing is stored. Two bombs: a modest header
/// (32×32×8 int16 = 16 KB) followed by 2 GiB of zeros, refused one byte past the declared data; and a header declaring
/// 1024×1024×500 float64 (4 GiB), refused on the header before anything is inflated.
/// </summary>
public class VolumeLimitTests(ITestOutputHelper output)
{
    private const int BombMembers = 32; // × 64 MiB = 2 GiB inflated, ~2 MB on the wire

    private static readonly Shape3 Modest = new(32, 32, 8);

    private static readonly Shape3 Huge = new(1024, 1024, 500);

    [Fact]
    public async Task Image_upload_refuses_gzip_bombs_with_422_naming_file_and_stores_nothing()
    {
        await using var server = new ServerHarness();
        foreach (var (name, write, expected) in Bombs(server.Scratch))
        {
            long size = write();
            using var form = Form("file", name);
            var clock = Stopwatch.StartNew();
            var response = await server.Http.PutAsync("/datastore/image?image=bomb", form);
            string msg = await response.AssertValidationErrorAsync("body", "file");
            output.WriteLine($"PUT /datastore/image {name} ({size} bytes): {(int)response.StatusCode} in {clock.ElapsedMilliseconds} ms: {msg}");
            Assert.Contains(name, msg);
            Assert.Contains(expected, msg);
            Assert.DoesNotContain(Directory.EnumerateFiles(server.Studies, "*", SearchOption.AllDirectories), f => !f.EndsWith("datastore_v2.json"));
        }

        string Path(string n) => System.IO.Path.Combine(server.Scratch, n);
        MultipartFormDataContent Form(string field, string n) => new() { { new StreamContent(File.OpenRead(Path(n))), field, n } };
    }

    [Fact]
    public async Task Label_upload_refuses_gzip_bombs_with_422_naming_the_label_file_and_stores_nothing()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("img");
        foreach (var (name, write, expected) in Bombs(server.Scratch))
        {
            if (!name.EndsWith(".nii.gz")) continue;
            long size = write();
            using var form = new MultipartFormDataContent { { new StreamContent(File.OpenRead(System.IO.Path.Combine(server.Scratch, name))), "label", name } };
            var clock = Stopwatch.StartNew();
            var response = await server.Http.PutAsync("/datastore/label?image=img&tag=final", form);
            string detail = await response.AssertDetailAsync(HttpStatusCode.UnprocessableEntity);
            output.WriteLine($"PUT /datastore/label {name} ({size} bytes): {(int)response.StatusCode} in {clock.ElapsedMilliseconds} ms: {detail}");
            Assert.Contains($"label file '{name}'", detail);
            Assert.Contains(expected, detail);
        }
        string labels = System.IO.Path.Combine(server.Studies, "labels");
        Assert.True(!Directory.Exists(labels) || !Directory.EnumerateFiles(labels, "*", SearchOption.AllDirectories).Any());
    }

    [Fact]
    public async Task Infer_and_session_uploads_refuse_gzip_bombs_with_422_naming_the_field()
    {
        await using var server = new ServerHarness();
        foreach (var (name, write, expected) in Bombs(server.Scratch))
        {
            long size = write();
            string path = System.IO.Path.Combine(server.Scratch, name);
            using var infer = new MultipartFormDataContent { { new StringContent("{}"), "params" }, { new StreamContent(File.OpenRead(path)), "file", name } };
            var clock = Stopwatch.StartNew();
            var response = await server.Http.PostAsync("/infer/threshold_bones", infer);
            string msg = await response.AssertValidationErrorAsync("body", "file");
            output.WriteLine($"POST /infer {name} ({size} bytes): {(int)response.StatusCode} in {clock.ElapsedMilliseconds} ms");
            Assert.Contains(expected, msg);

            using var session = new MultipartFormDataContent { { new StreamContent(File.OpenRead(path)), "files", name } };
            clock.Restart();
            response = await server.Http.PutAsync("/session/", session);
            msg = await response.AssertValidationErrorAsync("body", "files");
            output.WriteLine($"PUT /session/ {name} ({size} bytes): {(int)response.StatusCode} in {clock.ElapsedMilliseconds} ms");
            Assert.Contains(expected, msg);
            Assert.Empty(Directory.EnumerateFileSystemEntries(server.Sessions));
        }
    }

    [Fact]
    public async Task An_infer_upload_is_read_whole_only_by_the_worker_whose_refusal_still_names_the_field_file()
    {
        await using var server = new ServerHarness();
        var broker = server.Services.GetRequiredService<CtSegLabel.Server.Compute.ComputeHost>().Broker;
        int JobsRun() => broker.Workers.Where(w => w.Capabilities.Name.StartsWith("server/infer", StringComparison.Ordinal)).Sum(w => w.JobsDone);

        // A modest header hiding 2 GiB of zeros: the header check passes it, the worker's one full read refuses it.
        string bomb = System.IO.Path.Combine(server.Scratch, "modest.nii.gz");
        GzipBomb.WriteNifti(bomb, Modest, VoxelType.Int16, BombMembers);
        using (var form = new MultipartFormDataContent { { new StringContent("{}"), "params" }, { new StreamContent(File.OpenRead(bomb)), "file", "modest.nii.gz" } })
        {
            string msg = await (await server.Http.PostAsync("/infer/threshold_bones", form)).AssertValidationErrorAsync("body", "file");
            Assert.Contains("'modest.nii.gz' is refused", msg);
            Assert.Contains("trailing data", msg);
        }
        Assert.Equal(1, JobsRun());

        // A header declaring more than the limits is refused by the server: no job.
        string huge = System.IO.Path.Combine(server.Scratch, "huge.nii.gz");
        GzipBomb.WriteNifti(huge, Huge, VoxelType.Float64, 2);
        using (var form = new MultipartFormDataContent { { new StringContent("{}"), "params" }, { new StreamContent(File.OpenRead(huge)), "file", "huge.nii.gz" } })
            Assert.Contains("Server:MaxVolumeBytes", await (await server.Http.PostAsync("/infer/threshold_bones", form)).AssertValidationErrorAsync("body", "file"));
        Assert.Equal(1, JobsRun());

        // A good upload: one job, a label map of its shape.
        string ct = TestVolumes.WriteCt(server.Scratch, "good.nii.gz");
        using (var form = new MultipartFormDataContent { { new StringContent("{}"), "params" }, { new ByteArrayContent(await File.ReadAllBytesAsync(ct)), "file", "good.nii.gz" } })
            (await server.Http.PostAsync("/infer/threshold_bones?output=image", form)).EnsureSuccessStatusCode();
        Assert.Equal(2, JobsRun());
    }

    [Fact]
    public async Task A_real_ct_passes_the_upload_check_on_every_route()
    {
        await using var server = new ServerHarness();
        await server.Client.UploadImageAsync(TestPaths.ExampleCt, "real");
        Assert.True(File.Exists(System.IO.Path.Combine(server.Studies, "real.nii.gz")));
        using var session = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(TestPaths.ExampleCt)), "files", "example_ct_sm.nii.gz" } };
        (await server.Http.PutAsync("/session/", session)).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task The_volume_settings_reach_every_read_including_the_compute_worker()
    {
        // The test CT is 24×20×6 = 2880 voxels: over this server's limit. Copied into the studies folder (not uploaded),
        // so the only reads are the label check's and the worker's.
        await using var server = new ServerHarness(
            settings: new Dictionary<string, string?> { ["Server:MaxVolumeVoxels"] = "1000" },
            beforeStart: studies => TestVolumes.WriteCt(studies, "img.nii.gz"));

        string ct = TestVolumes.WriteCt(server.Scratch, "upload.nii.gz");
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(ct)), "file", "upload.nii.gz" } })
            Assert.Contains("Server:MaxVolumeVoxels", await (await server.Http.PutAsync("/datastore/image?image=up", form)).AssertValidationErrorAsync("body", "file"));

        string label = TestVolumes.WriteLabels(server.Scratch, "lab.nii.gz");
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(label)), "label", "lab.nii.gz" } })
            Assert.Contains("Server:MaxVolumeVoxels", await (await server.Http.PutAsync("/datastore/label?image=img", form)).AssertDetailAsync(HttpStatusCode.UnprocessableEntity));

        using var infer = new MultipartFormDataContent { { new StringContent("{}"), "params" } };
        string detail = await (await server.Http.PostAsync("/infer/threshold_bones?image=img", infer)).AssertDetailAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("Server:MaxVolumeVoxels", detail);
    }

    /// <summary>(file name, writer returning its size, words the refusal must contain).</summary>
    private static IEnumerable<(string Name, Func<long> Write, string Expected)> Bombs(string folder)
    {
        yield return ("modest.nii.gz", () => GzipBomb.WriteNifti(System.IO.Path.Combine(folder, "modest.nii.gz"), Modest, VoxelType.Int16, BombMembers), "trailing data");
        yield return ("huge.nii.gz", () => GzipBomb.WriteNifti(System.IO.Path.Combine(folder, "huge.nii.gz"), Huge, VoxelType.Float64, 2), "Server:MaxVolumeBytes");
        yield return ("modest.nrrd", () => GzipBomb.WriteNrrd(System.IO.Path.Combine(folder, "modest.nrrd"), Modest, BombMembers), "trailing data");
    }
}
