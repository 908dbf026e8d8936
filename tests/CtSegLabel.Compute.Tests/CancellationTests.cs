using CtSegLabel.Compute.Broker;
using CtSegLabel.Compute.Jobs;
using CtSegLabel.Compute.Tests.Support;

namespace CtSegLabel.Compute.Tests;

/// <summary>A caller that gives up, and a job that runs past its kind's time limit: the worker is told, stops, and is free again.</summary>
public sealed class CancellationTests
{
    [Fact]
    public async Task Cancelling_the_caller_stops_the_workers_job_and_frees_the_worker()
    {
        using var cluster = new Cluster();
        var handler = new GateHandler();
        await cluster.JoinWorker("w", handler);
        using var cancel = new CancellationTokenSource();
        var job = cluster.Broker.SubmitAsync(TestJobs.Infer(n: 1), cancellation: cancel.Token);
        await handler.AssertStartedAsync();

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => job.Within());
        await handler.AssertCancelledAsync();
        // The worker answered its CANCEL and takes the next job (the gate is still shut: this one must finish by opening it).
        var next = cluster.Broker.SubmitAsync(TestJobs.Infer(n: 2));
        await handler.AssertStartedAsync();
        handler.Open();
        var reply = await next.Within();
        Assert.Equal(("w", 1), (reply.Worker, reply.Attempts));
        Assert.Equal([1, 2], handler.StartOrder);
        Assert.Equal(0, cluster.Broker.QueueLength);
    }

    [Fact]
    public async Task Cancelling_a_queued_job_takes_it_out_of_the_queue_and_it_never_runs()
    {
        using var cluster = new Cluster(new BrokerOptions { QueueCapacity = 1 });
        var handler = new GateHandler();
        await cluster.JoinWorker("w", handler);
        var running = cluster.Broker.SubmitAsync(TestJobs.Infer(n: 1));
        await handler.AssertStartedAsync();
        using var cancel = new CancellationTokenSource();
        var queued = cluster.Broker.SubmitAsync(TestJobs.Infer(n: 2), cancellation: cancel.Token);
        Assert.Equal(1, cluster.Broker.QueueLength);

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.Within());
        Assert.Equal(0, cluster.Broker.QueueLength);
        var third = cluster.Broker.SubmitAsync(TestJobs.Infer(n: 3)); // the freed slot is usable
        handler.Open();
        await Task.WhenAll(running, third).Within();
        Assert.Equal([1, 3], handler.StartOrder);
        Assert.Equal(0, handler.CancelledCount);
    }

    [Fact]
    public void An_already_cancelled_token_is_refused_before_anything_is_queued()
    {
        using var cluster = new Cluster();
        Assert.ThrowsAny<OperationCanceledException>(() => { _ = cluster.Broker.SubmitAsync(TestJobs.Infer(), cancellation: new CancellationToken(true)); });
        Assert.Equal(0, cluster.Broker.QueueLength);
    }

    [Fact]
    public async Task A_job_past_its_kinds_time_limit_fails_as_timeout_and_its_handler_is_cancelled()
    {
        var limit = TimeSpan.FromMilliseconds(500);
        using var cluster = new Cluster(new BrokerOptions { Timeouts = new Dictionary<string, TimeSpan> { [JobKinds.Infer] = limit } });
        var handler = new GateHandler();
        await cluster.JoinWorker("w", handler);

        var error = await Assert.ThrowsAsync<ComputeJobFailedException>(() => cluster.Broker.SubmitAsync(TestJobs.Infer()).Within());

        Assert.Equal("timeout", error.Reason);
        Assert.Contains("infer 'echo'", error.Message);
        await handler.AssertCancelledAsync();
        await TestJobs.Until(() => cluster.Broker.Workers is [{ Job: null }], "the worker is idle again");
        Assert.Equal(0, cluster.Broker.QueueLength);
    }

    [Fact]
    public async Task A_caller_who_gives_up_hears_cancelled_once_the_worker_stopped_and_the_late_result_is_dropped()
    {
        using var cluster = new Cluster();
        var slow = new IgnoresCancellationHandler();
        await cluster.JoinWorker("w", slow);
        using var cancel = new CancellationTokenSource();
        var abandoned = cluster.Broker.SubmitAsync(TestJobs.Infer(n: 1), cancellation: cancel.Token);
        await slow.Started.Task.Within();

        cancel.Cancel();
        // Until its REPLY the worker still counts as busy: a second job waits rather than landing on a worker mid-job,
        // and the caller is not told "cancelled" while the worker may still be finishing (a training keeps its best).
        var next = cluster.Broker.SubmitAsync(TestJobs.Infer(n: 2));
        await TestJobs.Until(() => cluster.Broker.QueueLength == 1, "the next job waits for the busy worker");
        Assert.False(abandoned.IsCompleted);
        slow.Finish.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned.Within());
        var reply = await next.Within();
        Assert.Equal(2, reply.Header["n"]!.GetValue<int>());
        Assert.Equal(0, cluster.Broker.QueueLength);
    }
}
