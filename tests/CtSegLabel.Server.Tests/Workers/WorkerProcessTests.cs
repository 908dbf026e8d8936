using System.Net;
using System.Text.Json.Nodes;
using CtSegLabel.PluginAdapter.Client;
using CtSegLabel.TestApp;

namespace CtSegLabel.Server.Tests.Workers;

/// <summary>
/// Compute workers as separate processes on loopback (issue 7): the server hands infer jobs to `ctseg worker`
/// processes over NetMQ; killing one with SIGKILL mid-job must not lose the request, killing the last one must fail
/// it with a message that says so, a full queue answers 503 with Retry-After, and a client that gives up stops the
/// job on its worker. The test app's <c>sleep_seconds</c> makes a job last long enough to act during it.
/// </summary>
[Collection(WorkerProcessCollection.Name)]
public sealed class WorkerProcessTests
{
    private const string Model = ThresholdBonesTask.TaskName;

    private static JsonObject Sleep(double seconds) => new() { ["sleep_seconds"] = seconds };

    [Fact]
    public async Task Jobs_spread_over_two_worker_processes_and_info_lists_them()
    {
        await using var cluster = await ProcessCluster.StartAsync();
        await cluster.StartWorkerAsync("w1");
        await cluster.StartWorkerAsync("w2");
        await cluster.UploadCtAsync("ct1");

        var workers = await cluster.WorkersAsync();
        Assert.Equal(["w1", "w2"], workers.Select(w => w!["name"]!.GetValue<string>()).Order());
        Assert.All(workers, w =>
        {
            Assert.True(w!["remote"]!.GetValue<bool>());
            Assert.Contains(Model, w["jobs"]!["infer"]!.AsArray().Select(m => m!.GetValue<string>()));
            Assert.NotEqual(Environment.ProcessId, w["pid"]!.GetValue<int>());
        });

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => cluster.Client.InferAsync(Model, "ct1", Sleep(1))));
        var ranOn = results.Select(r => r.Params["worker"]!.GetValue<string>()).ToHashSet();
        Assert.Equal(["w1", "w2"], ranOn.Order());
        Assert.All(results, r => Assert.True(r.File.Length > 0));
        Assert.Contains("w1", await cluster.Http.GetStringAsync("/logs/gpu"));
    }

    [Fact]
    public async Task Killing_a_worker_mid_inference_hands_the_job_to_the_other_worker()
    {
        await using var cluster = await ProcessCluster.StartAsync();
        await cluster.StartWorkerAsync("w1");
        await cluster.StartWorkerAsync("w2");
        await cluster.UploadCtAsync("ct1");
        var reference = await cluster.Client.InferAsync(Model, "ct1");

        // Long enough that the kill lands mid-job however slowly the busy worker is found.
        var request = cluster.Client.InferAsync(Model, "ct1", Sleep(10));
        string victim = await cluster.BusyWorkerAsync();
        cluster.Kill(victim);

        var result = await request.WaitAsync(TimeSpan.FromSeconds(60));
        string survivor = victim == "w1" ? "w2" : "w1";
        Assert.Equal(survivor, result.Params["worker"]!.GetValue<string>());
        Assert.Equal(reference.File, result.File); // the same label file, computed again elsewhere
        await cluster.WaitUntilAsync(async () => (await cluster.WorkersAsync()).Count == 1, "the dead worker leaves /info/");
    }

    [Fact]
    public async Task Killing_the_only_worker_fails_the_request_with_a_message_naming_why()
    {
        await using var cluster = await ProcessCluster.StartAsync("--Server:NoWorkerTimeoutSeconds=3");
        await cluster.StartWorkerAsync("only");
        await cluster.UploadCtAsync("ct1");

        var request = cluster.Client.InferAsync(Model, "ct1", Sleep(30));
        await cluster.BusyWorkerAsync();
        cluster.Kill("only");

        var error = await Assert.ThrowsAsync<MonaiLabelClientException>(() => request.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, error.Status);
        Assert.Contains($"no compute worker can run infer '{Model}'", error.Body);
        Assert.Contains("only", error.Body); // names the worker that was lost
    }

    [Fact]
    public async Task A_full_queue_answers_503_with_Retry_After_and_the_queued_jobs_still_finish()
    {
        await using var cluster = await ProcessCluster.StartAsync("--worker-queue", "1");
        await cluster.StartWorkerAsync("w1");
        await cluster.UploadCtAsync("ct1");

        // Running until the refusal below has been seen, however slow the steps before it.
        var running = cluster.Client.InferAsync(Model, "ct1", Sleep(15));
        await cluster.BusyWorkerAsync();
        var queued = cluster.Client.InferAsync(Model, "ct1");
        await cluster.WaitUntilAsync(async () => (await cluster.Http.GetStringAsync("/logs/gpu")).Contains("queue 1 of 1"), "one job waits");

        using var form = new MultipartFormDataContent { { new StringContent("{}"), "params" } };
        using var refused = await cluster.Http.PostAsync($"/infer/{Model}?image=ct1", form);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After names a delay");
        Assert.Contains("try again", await refused.Content.ReadAsStringAsync());

        Assert.Equal("w1", (await running).Params["worker"]!.GetValue<string>());
        Assert.Equal("w1", (await queued).Params["worker"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_client_that_gives_up_stops_the_job_on_its_worker()
    {
        await using var cluster = await ProcessCluster.StartAsync();
        await cluster.StartWorkerAsync("w1");
        await cluster.UploadCtAsync("ct1");

        using var giveUp = new CancellationTokenSource();
        var request = cluster.Client.InferAsync(Model, "ct1", Sleep(120), ct: giveUp.Token);
        await cluster.BusyWorkerAsync();
        await giveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);

        // The worker's job was cancelled (it would otherwise sleep 120 s): the worker is idle again and serves the next.
        await cluster.WaitUntilAsync(async () => (await cluster.WorkersAsync()).All(w => w!["busy"] is null), "the worker is idle", seconds: 20);
        var next = await cluster.Client.InferAsync(Model, "ct1");
        Assert.Equal("w1", next.Params["worker"]!.GetValue<string>());
    }
}

public sealed class WorkerEndpointStartupTests
{
    [Fact]
    public async Task A_workers_endpoint_other_machines_reach_without_a_key_stops_the_server_with_exit_2_naming_the_option()
    {
        var (code, output) = await ProcessCluster.RunServerToExitAsync("--workers-endpoint", "tcp://0.0.0.0:0");
        Assert.Equal(2, code);
        Assert.Contains("--workers-endpoint tcp://0.0.0.0:0 is not a loopback address", output);
        Assert.Contains("--workers-key", output);
        Assert.DoesNotContain("   at ", output); // a message, not a stack trace
    }

    [Fact]
    public async Task A_workers_endpoint_whose_port_is_taken_stops_the_server_with_exit_2()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var (code, output) = await ProcessCluster.RunServerToExitAsync("--workers-endpoint", $"tcp://127.0.0.1:{port}");
        Assert.Equal(2, code);
        Assert.Contains($"--workers-endpoint tcp://127.0.0.1:{port}", output);
    }
}

/// <summary>The process tests start several .NET processes each; running them one at a time keeps the 2-core CI
/// machine responsive enough for 200 ms heartbeats.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WorkerProcessCollection
{
    public const string Name = "worker processes";
}
