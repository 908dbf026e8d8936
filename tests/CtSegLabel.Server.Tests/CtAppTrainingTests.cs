using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using CtSegLabel.Cli;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.PluginAdapter.Client;

namespace CtSegLabel.Server.Tests;

/// <summary>
/// The annotation loop of the default server (the CT app) over HTTP, as a team drives it from Slicer: labels
/// submitted as <c>final</c>, <c>POST /train/{model}</c>, <c>GET /train/</c> polled until done, the fine-tuned weights
/// published as a new version that the next <c>/infer</c> names — with a tiny network on small phantoms.
/// </summary>
public class CtAppTrainingTests
{
    private const string Model = "swinunetr_v2";

    private static async Task SeedAsync(ServerHarness server, int images)
    {
        ModelInit(Path.Combine(server.Models, Model, "0.0.0-untrained.ctseg"));
        for (int n = 0; n < images; n++)
        {
            // 40 slices of 3 mm: two windows of the tiny checkpoint's 32 slices.
            var phantom = PhantomGenerator.Generate(11, n, new PhantomOptions
            {
                Size = 64, Slices = 40, Range = RangeKind.Thorax, Orientation = PhantomOrientation.Lps, Spacing = new Vec3(7.5, 7.5, 3.0),
            });
            string id = $"case{n}";
            string image = Path.Combine(server.Scratch, id + ".nii.gz"), label = Path.Combine(server.Scratch, id + "_label.nii.gz");
            NiftiFile.Write(image, phantom.Ct);
            NiftiFile.Write(label, phantom.Labels);
            await server.Client.UploadImageAsync(image, id);
            await server.Client.SaveLabelAsync(id, label, "final");
        }
    }

    private static void ModelInit(string path)
    {
        var error = new StringWriter();
        int code = CommandRunner.Run(CtsegCommands.All,
            ["model", "init", "--arch", "swinunetr-v2", "--config", "tiny", "--classes", "37", "--in-plane", "32", "--block-slices", "32", "--out", path],
            new StringWriter(), error);
        Assert.True(code == 0, error.ToString());
    }

    private static JsonObject FineTune(int epochs) => new()
    {
        ["name"] = "ft", ["max_epochs"] = epochs, ["gradient_accumulation"] = 1, ["val_split"] = 0.34, ["augment"] = false,
    };

    private static async Task<JsonObject> WaitForEndAsync(ServerHarness server, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < until)
        {
            var task = await (await server.Http.GetAsync("/train/")).ObjectAsync();
            if (task["status"]!.GetValue<string>() is "DONE" or "ERROR" or "STOPPED") return task;
            await Task.Delay(100);
        }
        throw new TimeoutException($"training did not end within {limit}");
    }

    [Fact]
    public async Task Fine_tuning_on_final_labels_publishes_a_version_that_infer_then_serves()
    {
        await using var server = new ServerHarness(testApp: false);
        await SeedAsync(server, 3);

        var started = await server.Client.TrainStartAsync(Model, FineTune(2));
        Assert.Equal(2, started["request"]!["max_epochs"]!.GetValue<int>());
        var done = await WaitForEndAsync(server, TimeSpan.FromMinutes(3));
        Assert.True(done["status"]!.GetValue<string>() == "DONE", done.ToJsonString());

        // Slicer's training panel reads these from /info/.
        var stats = (await server.Client.InfoAsync()).TrainStats[Model];
        Assert.Equal(2, stats["epoch"]!.GetValue<int>());
        Assert.InRange(stats["best_metric"]!.GetValue<double>(), 0, 1);
        string version = stats["version"]!.GetValue<string>();

        var versions = await (await server.Http.GetAsync($"/model/{Model}/versions")).JsonAsync();
        Assert.Contains(version, versions!.ToJsonString());

        var output = await server.Client.InferAsync(Model, "case0", new JsonObject { ["result_extension"] = ".nrrd" });
        Assert.Equal(version, output.Params["checkpoint"]!.GetValue<string>());
        Assert.Null(output.Params["untrained"]);

        // The run's curve stays beside the version it made.
        string kept = Path.Combine(server.Models, Model, "runs", Path.GetFileNameWithoutExtension(version));
        Assert.True(File.Exists(Path.Combine(kept, "curve.csv")), $"no curve in {kept}");
    }

    [Fact]
    public async Task Stopping_a_fine_tune_keeps_its_best_as_a_version_and_the_same_run_resumes()
    {
        await using var server = new ServerHarness(testApp: false);
        await SeedAsync(server, 2);

        await server.Client.TrainStartAsync(Model, FineTune(500));
        // Stop once a validation has run, so there is a best checkpoint to keep.
        var until = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!((await server.Client.InfoAsync()).TrainStats.TryGetValue(Model, out var s) && s["best_metric"] is not null))
        {
            Assert.True(DateTime.UtcNow < until, "no validation within 2 minutes");
            await Task.Delay(100);
        }
        var stopped = await server.Client.TrainStopAsync();
        Assert.Equal("STOPPED", stopped!["status"]!.GetValue<string>());

        // The stop answers once the worker stopped, or after the runner's stop wait on a machine too loaded for that:
        // the kept version may then appear a moment later.
        JsonObject versions;
        var published = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            versions = await (await server.Http.GetAsync($"/model/{Model}/versions")).ObjectAsync();
            if (versions["versions"]!.AsArray().Any(v => v!["metrics"]?["stopped"]?.GetValue<bool>() == true) || DateTime.UtcNow > published) break;
            await Task.Delay(200);
        }
        var kept = versions["versions"]!.AsArray().Single(v => v!["metrics"]?["stopped"]?.GetValue<bool>() == true)!;
        Assert.Equal("0.0.0-untrained.ctseg", kept["parent"]!.GetValue<string>());
        Assert.Equal(kept["name"]!.GetValue<string>(), versions["current"]!.GetValue<string>());
        var output = await server.Client.InferAsync(Model, "case1", new JsonObject { ["result_extension"] = ".nrrd" });
        Assert.Equal(kept["name"]!.GetValue<string>(), output.Params["checkpoint"]!.GetValue<string>());

        // The same run started again continues where it stopped, from the weights it began with.
        int reached = (await server.Client.InfoAsync()).TrainStats[Model]["epoch"]!.GetValue<int>();
        await RetryWhileBusyAsync(() => server.Client.TrainStartAsync(Model, FineTune(reached + 1)));
        var done = await WaitForEndAsync(server, TimeSpan.FromMinutes(3));
        Assert.True(done["status"]!.GetValue<string>() == "DONE", done.ToJsonString());
        Assert.Contains(done["details"]!.AsArray(), d => d!.GetValue<string>().Contains("resuming run 'ft'", StringComparison.Ordinal));
        var after = await (await server.Http.GetAsync($"/model/{Model}/versions")).ObjectAsync();
        var resumed = after["versions"]!.AsArray().Single(v => v!["name"]!.GetValue<string>() == after["current"]!.GetValue<string>())!;
        Assert.Equal("0.0.0-untrained.ctseg", resumed["parent"]!.GetValue<string>());
        Assert.False(resumed["metrics"]!["stopped"]!.GetValue<bool>());
    }

    /// <summary>A stopped training holds the trainer until its last checkpoint is written: start again once it is free.</summary>
    private static async Task RetryWhileBusyAsync(Func<Task> start)
    {
        for (int n = 0; ; n++)
        {
            try { await start(); return; }
            catch (MonaiLabelClientException e) when (e.Status == HttpStatusCode.TooManyRequests && n < 300) { await Task.Delay(100); }
        }
    }

    [Fact]
    public async Task Training_without_final_labels_fails_with_a_reason()
    {
        await using var server = new ServerHarness(testApp: false);
        ModelInit(Path.Combine(server.Models, Model, "0.0.0-untrained.ctseg"));
        await server.Client.TrainStartAsync(Model, FineTune(1));
        var ended = await WaitForEndAsync(server, TimeSpan.FromMinutes(1));
        Assert.Equal("ERROR", ended["status"]!.GetValue<string>());
        Assert.Contains("final", ended.ToJsonString());
    }

    [Fact]
    public async Task A_bad_train_parameter_names_the_key()
    {
        await using var server = new ServerHarness(testApp: false);
        await SeedAsync(server, 1);
        // Refused before a task starts: the value's kind differs from the trainer's config.
        var refused = await Assert.ThrowsAsync<MonaiLabelClientException>(() => server.Client.TrainStartAsync(Model, new JsonObject { ["max_epochs"] = "many" }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.Status);
        Assert.Contains("max_epochs", refused.Body);

        // A value of the right kind out of range: the task fails naming the key.
        await server.Client.TrainStartAsync(Model, new JsonObject { ["max_epochs"] = 0 });
        var ended = await WaitForEndAsync(server, TimeSpan.FromMinutes(1));
        Assert.Equal("ERROR", ended["status"]!.GetValue<string>());
        Assert.Contains("max_epochs", ended.ToJsonString());
    }
}
