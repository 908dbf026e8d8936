using CtSegLabel.Compute.Tests.Support;

namespace CtSegLabel.Compute.Tests;

/// <summary>Which worker gets a job: the longest-idle one that serves the job's kind and target.</summary>
public sealed class LoadBalancingTests
{
    [Fact]
    public async Task Jobs_alternate_between_two_idle_workers_longest_idle_first()
    {
        using var cluster = new Cluster();
        await cluster.JoinWorker("a", new EchoHandler());
        await cluster.JoinWorker("b", new EchoHandler());

        var names = new List<string>();
        for (int n = 0; n < 6; n++) names.Add((await cluster.Broker.SubmitAsync(TestJobs.Infer(n: n)).Within()).Worker);

        // After each job the worker that ran it is the most recently idle, so the other one goes next (MDP's LRU).
        Assert.Equal(3, names.Count(n => n == "a"));
        Assert.Equal(3, names.Count(n => n == "b"));
        for (int i = 1; i < names.Count; i++) Assert.NotEqual(names[i - 1], names[i]);
        await TestJobs.Until(() => cluster.Broker.Workers.Sum(w => w.JobsDone) == 6, "the snapshot counts six jobs done");
    }

    [Fact]
    public async Task Concurrent_jobs_run_on_both_workers_at_once()
    {
        using var cluster = new Cluster();
        var a = new GateHandler();
        var b = new GateHandler();
        await cluster.JoinWorker("a", a);
        await cluster.JoinWorker("b", b);

        var first = cluster.Broker.SubmitAsync(TestJobs.Infer(n: 1));
        var second = cluster.Broker.SubmitAsync(TestJobs.Infer(n: 2));
        // Both handlers hold a job at the same time: neither worker waits behind the other.
        await a.AssertStartedAsync();
        await b.AssertStartedAsync();
        await TestJobs.Until(() => cluster.Broker.Workers.All(w => w.Job is not null), "both workers show a job");
        a.Open();
        b.Open();

        var replies = await Task.WhenAll(first, second).Within();
        Assert.Equal(["a", "b"], replies.Select(r => r.Worker).Order());
    }

    [Fact]
    public async Task A_job_goes_to_the_worker_that_serves_its_target()
    {
        using var cluster = new Cluster();
        // a joins first, so it is the longest idle: without routing by capabilities it would get the first job.
        await cluster.JoinWorker("a", new EchoHandler("model-a"));
        await cluster.JoinWorker("b", new EchoHandler("model-b"));

        for (int n = 0; n < 4; n++)
        {
            var reply = await cluster.Broker.SubmitAsync(TestJobs.Infer("model-b", n: n)).Within();
            Assert.Equal("b", reply.Worker);
            Assert.Equal("model-b", reply.Header["target"]!.GetValue<string>());
        }
        Assert.Equal("a", (await cluster.Broker.SubmitAsync(TestJobs.Infer("model-a")).Within()).Worker);
        Assert.Equal(["model-a", "model-b"], cluster.Broker.Workers.Select(w => w.Capabilities.Jobs["infer"].Single()).Order());
    }

    [Fact]
    public async Task An_idle_worker_with_the_version_the_job_asks_for_is_chosen_first_and_a_lagging_one_is_the_last_resort()
    {
        using var cluster = new Cluster();
        var stale = new GateHandler("model-b");
        var current = new GateHandler("model-b");
        // stale joins first, so it is the longest idle: by LRU alone it would get the first job.
        await cluster.JoinWorker("stale", stale, versions: new Dictionary<string, string> { ["model-b"] = "v1.ctseg" });
        await cluster.JoinWorker("current", current, versions: new Dictionary<string, string> { ["model-b"] = "v2.ctseg" });

        var first = cluster.Broker.SubmitAsync(TestJobs.Infer("model-b", n: 1) with { Version = "v2.ctseg" });
        await current.AssertStartedAsync();
        // The worker with the version is busy: the next job runs on the lagging one rather than waiting.
        var second = cluster.Broker.SubmitAsync(TestJobs.Infer("model-b", n: 2) with { Version = "v2.ctseg" });
        await stale.AssertStartedAsync();
        current.Open();
        stale.Open();

        Assert.Equal("current", (await first.Within()).Worker);
        Assert.Equal("stale", (await second.Within()).Worker);
    }

    [Fact]
    public async Task A_job_no_worker_serves_fails_as_no_worker_naming_the_job_and_what_the_workers_serve()
    {
        using var cluster = new Cluster(new() { NoWorkerTimeout = TimeSpan.FromMilliseconds(300) });
        await cluster.JoinWorker("a", new EchoHandler("model-a"));

        var error = await Assert.ThrowsAsync<Jobs.ComputeJobFailedException>(() => cluster.Broker.SubmitAsync(TestJobs.Infer("model-z")).Within());

        Assert.Equal("no-worker", error.Reason);
        Assert.Contains("infer 'model-z'", error.Message);
        Assert.Contains("model-a", error.Message);
        Assert.Equal(0, cluster.Broker.QueueLength);
    }
}
