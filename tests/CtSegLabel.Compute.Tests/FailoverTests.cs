using System.Diagnostics;
using CtSegLabel.Compute.Broker;
using CtSegLabel.Compute.Jobs;
using CtSegLabel.Compute.Tests.Support;

namespace CtSegLabel.Compute.Tests;

/// <summary>
/// Workers that die mid-job. Disposing a <see cref="Worker.ComputeWorker"/> closes its socket without DISCONNECT, as a
/// killed process would: the broker can only notice by the missing heartbeats.
/// </summary>
public sealed class FailoverTests
{
    [Fact]
    public async Task A_job_whose_worker_dies_completes_on_the_other_worker()
    {
        using var cluster = new Cluster();
        var dying = new GateHandler();
        var doomed = await cluster.JoinWorker("doomed", dying);
        var job = cluster.Broker.SubmitAsync(TestJobs.Infer(payload: [1, 2, 3], n: 42));
        await dying.AssertStartedAsync();
        await cluster.JoinWorker("survivor", new EchoHandler());

        doomed.Dispose();

        var reply = await job.Within();
        Assert.Equal("survivor", reply.Worker);
        Assert.Equal(2, reply.Attempts);
        Assert.Equal(42, reply.Header["echo"]!["n"]!.GetValue<int>());
        Assert.Equal([1, 2, 3], reply.Payload);
        Assert.Equal(0, cluster.Broker.QueueLength);
        Assert.Contains(cluster.BrokerLog, line => line.Contains("doomed stopped answering") && line.Contains("infer 'echo'"));
        Assert.Equal(["survivor"], cluster.Broker.Workers.Select(w => w.Capabilities.Name));
    }

    [Fact]
    public async Task When_the_only_worker_dies_the_job_fails_after_the_no_worker_timeout_naming_the_job()
    {
        var noWorker = TimeSpan.FromSeconds(1);
        using var cluster = new Cluster(new BrokerOptions { NoWorkerTimeout = noWorker });
        var handler = new GateHandler();
        var worker = await cluster.JoinWorker("only", handler);
        var job = cluster.Broker.SubmitAsync(TestJobs.Infer());
        await handler.AssertStartedAsync();

        var clock = Stopwatch.StartNew();
        worker.Dispose();
        var error = await Assert.ThrowsAsync<ComputeJobFailedException>(() => job.Within());

        Assert.Equal("no-worker", error.Reason);
        Assert.Contains("infer 'echo'", error.Message);
        Assert.Contains("only", error.Message); // the worker that was running it
        // It waited for a worker to come back (one might reconnect) before giving up, not failed at the first loss.
        Assert.True(clock.Elapsed >= noWorker, $"failed after {clock.Elapsed}, before the no-worker timeout of {noWorker}");
        Assert.Equal(0, cluster.Broker.QueueLength);
        Assert.Empty(cluster.Broker.Workers);
    }

    [Fact]
    public async Task A_job_fails_as_worker_lost_once_max_attempts_workers_died_under_it()
    {
        using var cluster = new Cluster(new BrokerOptions { MaxAttempts = 2, NoWorkerTimeout = TimeSpan.FromMinutes(5) });
        var first = new GateHandler();
        var second = new GateHandler();
        var one = await cluster.JoinWorker("one", first);
        var job = cluster.Broker.SubmitAsync(TestJobs.Infer());
        await first.AssertStartedAsync();
        var two = await cluster.JoinWorker("two", second);

        one.Dispose();
        await second.AssertStartedAsync();
        two.Dispose();

        var error = await Assert.ThrowsAsync<ComputeJobFailedException>(() => job.Within());
        Assert.Equal("worker-lost", error.Reason);
        Assert.Contains("infer 'echo'", error.Message);
        Assert.Contains("one", error.Message);
        Assert.Contains("two", error.Message);
        Assert.Equal(0, cluster.Broker.QueueLength);
    }

    [Fact]
    public async Task A_worker_that_joins_while_the_job_waits_after_a_loss_picks_it_up()
    {
        using var cluster = new Cluster(new BrokerOptions { NoWorkerTimeout = TimeSpan.FromMinutes(5) });
        var handler = new GateHandler();
        var lost = await cluster.JoinWorker("lost", handler);
        var job = cluster.Broker.SubmitAsync(TestJobs.Infer());
        await handler.AssertStartedAsync();
        lost.Dispose();
        await TestJobs.Until(() => cluster.Broker.Workers.Count == 0 && cluster.Broker.QueueLength == 1, "the job is back in the queue");

        await cluster.JoinWorker("late", new EchoHandler());

        var reply = await job.Within();
        Assert.Equal(("late", 2), (reply.Worker, reply.Attempts));
        Assert.Equal(0, cluster.Broker.QueueLength);
    }
}
