using CtSegLabel.Compute.Broker;
using CtSegLabel.Compute.Jobs;
using CtSegLabel.Compute.Tests.Support;

namespace CtSegLabel.Compute.Tests;

/// <summary>The bounded queue: submissions past its capacity are refused at once, and the counter stays honest.</summary>
public sealed class BackpressureTests
{
    [Fact]
    public async Task A_full_queue_refuses_the_next_job_with_retry_after_and_the_queued_ones_still_complete()
    {
        var retryAfter = TimeSpan.FromSeconds(7);
        using var cluster = new Cluster(new BrokerOptions { QueueCapacity = 2, RetryAfter = retryAfter });
        var handler = new GateHandler();
        await cluster.JoinWorker("busy", handler);
        var running = cluster.Broker.SubmitAsync(TestJobs.Infer(n: 0));
        await handler.AssertStartedAsync();
        await TestJobs.Until(() => cluster.Broker.QueueLength == 0, "the running job left the queue");

        var queued1 = cluster.Broker.SubmitAsync(TestJobs.Infer(n: 1));
        var queued2 = cluster.Broker.SubmitAsync(TestJobs.Infer(n: 2));
        var refused = Assert.Throws<ComputeQueueFullException>(() => { _ = cluster.Broker.SubmitAsync(TestJobs.Infer(n: 3)); }); // at once, not when awaited

        Assert.Equal(retryAfter, refused.RetryAfter);
        Assert.Contains("2 jobs are already waiting", refused.Message);
        Assert.Equal(2, cluster.Broker.QueueLength);
        handler.Open();
        var replies = await Task.WhenAll(running, queued1, queued2).Within();
        Assert.Equal([0, 1, 2], replies.Select(r => r.Header["echo"]!["n"]!.GetValue<int>()));
        Assert.Equal([0, 1, 2], handler.StartOrder); // first come, first served
        Assert.All(replies, r => Assert.Equal("busy", r.Worker));
        Assert.Equal(0, cluster.Broker.QueueLength);

        // The refusal did not leak a slot: the queue takes two again.
        var again = new[] { cluster.Broker.SubmitAsync(TestJobs.Infer()), cluster.Broker.SubmitAsync(TestJobs.Infer()) };
        await Task.WhenAll(again).Within();
        Assert.Equal(0, cluster.Broker.QueueLength);
    }

    [Fact]
    public async Task Jobs_that_wait_with_no_worker_count_in_the_queue_until_they_fail()
    {
        // Long enough that no job has failed yet when the fourth is refused, however long this thread stalls in between.
        using var cluster = new Cluster(new BrokerOptions { QueueCapacity = 3, NoWorkerTimeout = TimeSpan.FromSeconds(3) });
        var jobs = Enumerable.Range(0, 3).Select(n => cluster.Broker.SubmitAsync(TestJobs.Infer(n: n))).ToList();
        Assert.Throws<ComputeQueueFullException>(() => { _ = cluster.Broker.SubmitAsync(TestJobs.Infer()); });

        foreach (var job in jobs)
            Assert.Equal("no-worker", (await Assert.ThrowsAsync<ComputeJobFailedException>(() => job.Within())).Reason);
        Assert.Equal(0, cluster.Broker.QueueLength);
    }
}
