using System.Net;
using System.Text.Json.Nodes;
using CtSegLabel.PluginAdapter.Client;
using CtSegLabel.TestApp;

namespace CtSegLabel.Server.Tests;

public class TrainApiTests
{
    [Fact]
    public async Task Idle_probe_is_404_and_idle_stop_is_null()
    {
        await using var server = new ServerHarness();
        Assert.Equal("No Train Tasks are currently Running",
            await (await server.Http.GetAsync("/train/?check_if_running=true")).AssertDetailAsync(HttpStatusCode.NotFound));
        Assert.False(await server.Client.TrainIsRunningAsync());
        await (await server.Http.GetAsync("/train/")).AssertDetailAsync(HttpStatusCode.NotFound);
        var stop = await server.Http.DeleteAsync("/train/");
        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        Assert.Null(await stop.JsonAsync());
    }

    [Fact]
    public async Task Training_fits_thresholds_to_submitted_labels_and_publishes_stats_and_model()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("a");
        await server.SubmitLabelsAsync("a");
        // Start far from the truth: the fit must move the thresholds into the gaps of the data.
        new ThresholdParameters(BoneMinHu: -200, LungMaxHu: -950).Save(Path.Combine(server.Models, ThresholdParameters.FileName));

        var task = await server.Client.TrainStartAsync("threshold_bones", new JsonObject { ["max_epochs"] = 8, ["iterations_per_epoch"] = 40 });
        Assert.Contains(task["status"]!.GetValue<string>(), new[] { "SUBMITTED", "RUNNING", "DONE" });
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", task["start_ts"]!.GetValue<string>());
        Assert.Equal(8, task["request"]!["max_epochs"]!.GetValue<int>());
        Assert.Equal(4096, task["request"]!["batch_size"]!.GetValue<int>()); // config default merged in

        var done = await WaitForEndAsync(server);
        Assert.Equal("DONE", done["status"]!.GetValue<string>());
        Assert.Contains(done["details"]!.AsArray(), d => d!.GetValue<string>().StartsWith("Epoch 8/8", StringComparison.Ordinal));
        Assert.NotNull(done["end_ts"]);

        var fitted = ThresholdParameters.Load(Path.Combine(server.Models, ThresholdParameters.FileName));
        Assert.InRange(fitted.BoneMinHu, 40, 700);   // separates soft tissue (40) from bone (700)
        Assert.InRange(fitted.LungMaxHu, -800, -400);  // takes in the enclosed air (−800), never above the air level
        Assert.Equal(1.0, fitted.BestMetric, 6);

        var stats = (await server.Client.InfoAsync()).TrainStats["threshold_bones"];
        Assert.Equal(8, stats["total_epochs"]!.GetValue<int>());
        Assert.Equal(8, stats["epoch"]!.GetValue<int>());
        Assert.Equal(1.0, stats["best_metric"]!.GetValue<double>(), 6);
        Assert.NotNull(stats["total_time"]);

        var model = await (await server.Http.GetAsync("/model/info/threshold_bones")).ObjectAsync();
        Assert.StartsWith("SHA256:", model["checksum"]!.GetValue<string>());
        Assert.Equal(8, model["train_stats"]!["total_epochs"]!.GetValue<int>());
    }

    [Fact]
    public async Task Running_training_blocks_a_second_start_and_stops_on_delete_with_details()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("a");
        await server.SubmitLabelsAsync("a");
        await server.Client.TrainStartAsync("threshold_bones", new JsonObject { ["max_epochs"] = 100000 });
        await WaitUntilAsync(() => server.Client.TrainIsRunningAsync());

        var probe = await (await server.Http.GetAsync("/train/?check_if_running=true")).ObjectAsync();
        Assert.Equal("RUNNING", probe["status"]!.GetValue<string>());
        var conflict = await Assert.ThrowsAsync<MonaiLabelClientException>(() => server.Client.TrainStartAsync("threshold_bones"));
        Assert.Equal(HttpStatusCode.TooManyRequests, conflict.Status);
        Assert.Contains("Already Running", conflict.Body);

        var stopped = await server.Client.TrainStopAsync();
        Assert.NotNull(stopped);
        Assert.Equal("STOPPED", stopped!["status"]!.GetValue<string>());
        Assert.NotEmpty(stopped["details"]!.AsArray());
        Assert.NotNull(stopped["end_ts"]);
        Assert.False(await server.Client.TrainIsRunningAsync());
        Assert.Equal("STOPPED", (await server.Client.TrainStatusAsync())["status"]!.GetValue<string>());

        var all = Assert.IsType<JsonArray>(await (await server.Http.GetAsync("/train/?all=true")).JsonAsync());
        Assert.Single(all);
    }

    [Fact]
    public async Task Training_without_labels_ends_in_ERROR_with_the_reason_in_details()
    {
        await using var server = new ServerHarness();
        await server.Client.TrainStartAsync("threshold_bones");
        var ended = await WaitForEndAsync(server);
        Assert.Equal("ERROR", ended["status"]!.GetValue<string>());
        Assert.Contains(ended["details"]!.AsArray(), d => d!.GetValue<string>().Contains("nothing to train on", StringComparison.Ordinal));
        string log = await File.ReadAllTextAsync(Directory.GetFiles(server.Logs, "app*.log").Single());
        Assert.Contains("nothing to train on", log);
    }

    [Fact]
    public async Task Train_request_errors()
    {
        await using var server = new ServerHarness();
        Assert.Contains("nope", await (await server.Http.PostAsync("/train/nope", Http.JsonBody("{}"))).AssertDetailAsync(HttpStatusCode.NotFound));
        await (await server.Http.PostAsync("/train/threshold_bones", Http.JsonBody("{\"max_epochs\": \"many\"}"))).AssertValidationErrorAsync("body", "max_epochs");
        await (await server.Http.PostAsync("/train/threshold_bones", Http.JsonBody("{\"max_epochs\": 2.5}"))).AssertValidationErrorAsync("body", "max_epochs");
        await (await server.Http.PostAsync("/train/threshold_bones?run_sync=maybe", Http.JsonBody("{}"))).AssertValidationErrorAsync("query", "run_sync");
        await (await server.Http.GetAsync("/train/?check_if_running=perhaps")).AssertValidationErrorAsync("query", "check_if_running");
    }

    [Fact]
    public async Task Run_sync_returns_the_statistics_and_the_deprecated_start_all_queues_every_trainer()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("a");
        await server.SubmitLabelsAsync("a");
        var stats = await (await server.Http.PostAsync("/train/threshold_bones?run_sync=true",
            Http.JsonBody("{\"max_epochs\": 2, \"iterations_per_epoch\": 5}"))).ObjectAsync();
        Assert.Equal(2, stats["epoch"]!.GetValue<int>());

        var all = await (await server.Http.PostAsync("/train/", Http.JsonBody("{\"threshold_bones\": {\"max_epochs\": 1, \"iterations_per_epoch\": 2}}"))).ObjectAsync();
        Assert.Equal(1, all["threshold_bones"]!["result"]!["request"]!["max_epochs"]!.GetValue<int>());
        Assert.Null(all["threshold_bones"]!["detail"]);
        Assert.Equal("DONE", (await WaitForEndAsync(server))["status"]!.GetValue<string>());
    }

    internal static async Task<JsonObject> WaitForEndAsync(ServerHarness server, string path = "/train/")
    {
        for (int n = 0; n < 600; n++)
        {
            var task = await (await server.Http.GetAsync(path)).ObjectAsync();
            if (task["status"]!.GetValue<string>() is "DONE" or "ERROR" or "STOPPED") return task;
            await Task.Delay(50);
        }
        throw new TimeoutException($"{path} did not end in 30 s");
    }

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (int n = 0; n < 600; n++)
        {
            if (await condition()) return;
            await Task.Delay(25);
        }
        throw new TimeoutException("condition not met in 15 s");
    }
}
