using CtSegLabel.Compute.Broker;
using CtSegLabel.Compute.Jobs;
using CtSegLabel.Compute.Tests.Support;
using CtSegLabel.Compute.Worker;

namespace CtSegLabel.Compute.Tests;

/// <summary>The server stopping: every caller gets an answer, nothing hangs, and stopping twice or early is harmless.</summary>
public sealed class DisposeTests
{
    [Fact]
    public async Task Disposing_the_broker_answers_running_queued_and_just_submitted_jobs()
    {
        var handler = new GateHandler();
        var broker = new ComputeBroker(new BrokerOptions { QueueCapacity = 1000, Heartbeat = TestJobs.Heartbeat });
        broker.Start();
        using var worker = new ComputeWorker(new WorkerOptions { Endpoint = broker.LocalEndpoint, Name = "w", Heartbeat = TestJobs.Heartbeat }, [handler]);
        worker.Start();
        await TestJobs.Until(() => broker.Workers.Count == 1, "the worker joined");
        var running = broker.SubmitAsync(TestJobs.Infer());
        await handler.AssertStartedAsync();
        // Submitted right before the stop: some are still in the broker's inbox, not yet in its books.
        var queued = Enumerable.Range(0, 500).Select(n => broker.SubmitAsync(TestJobs.Infer(n: n))).ToList();

        broker.Dispose();

        foreach (var job in queued.Prepend(running))
        {
            var error = await Assert.ThrowsAsync<ComputeJobFailedException>(() => job.Within());
            Assert.Equal("stopping", error.Reason);
        }
        Assert.Equal(0, broker.QueueLength);
    }

    [Fact]
    public async Task Jobs_submitted_while_the_broker_is_being_disposed_are_answered_or_refused()
    {
        for (int round = 0; round < 20; round++)
        {
            var broker = new ComputeBroker(new BrokerOptions { QueueCapacity = 100_000, Heartbeat = TestJobs.Heartbeat });
            broker.Start();
            var jobs = new List<Task<Jobs.JobReply>>();
            using var submitting = new ManualResetEventSlim();
            var submitter = Task.Run(() =>
            {
                while (true)
                {
                    try
                    {
                        jobs.Add(broker.SubmitAsync(TestJobs.Infer()));
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }
                    submitting.Set();
                }
            });
            submitting.Wait(TestJobs.Patience);

            broker.Dispose();

            await submitter.Within();
            // Every job the broker accepted gets an answer: none is left in a queue nobody reads.
            await Assert.ThrowsAsync<ComputeJobFailedException>(() => Task.WhenAll(jobs).Within());
            Assert.All(jobs, job => Assert.Equal("stopping", Assert.IsType<ComputeJobFailedException>(job.Exception?.InnerException).Reason));
            Assert.Equal(0, broker.QueueLength);
        }
    }

    [Fact]
    public void Submitting_to_a_disposed_broker_throws_object_disposed()
    {
        var broker = new ComputeBroker(new BrokerOptions());
        broker.Start();
        broker.Dispose();
        Assert.Throws<ObjectDisposedException>(() => { _ = broker.SubmitAsync(TestJobs.Infer()); });
        Assert.Equal(0, broker.QueueLength);
    }

    [Fact]
    public async Task Cancelling_after_the_broker_was_disposed_is_harmless()
    {
        var broker = new ComputeBroker(new BrokerOptions { Heartbeat = TestJobs.Heartbeat });
        broker.Start();
        using var cancel = new CancellationTokenSource();
        var job = broker.SubmitAsync(TestJobs.Infer(), cancellation: cancel.Token);
        broker.Dispose();
        cancel.Cancel();
        Assert.Equal("stopping", (await Assert.ThrowsAsync<ComputeJobFailedException>(() => job.Within())).Reason);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_broker_or_worker_can_be_disposed_without_being_started_and_twice(bool remote)
    {
        var broker = new ComputeBroker(new BrokerOptions { RemoteEndpoint = remote ? "tcp://127.0.0.1:0" : null });
        var worker = new ComputeWorker(new WorkerOptions { Endpoint = broker.LocalEndpoint }, [new EchoHandler()]);
        worker.Dispose();
        worker.Dispose();
        broker.Dispose();
        broker.Dispose();
    }

    [Fact]
    public async Task Disposing_a_worker_mid_job_cancels_its_handler()
    {
        using var cluster = new Cluster();
        var handler = new GateHandler();
        var worker = await cluster.JoinWorker("w", handler);
        _ = cluster.Broker.SubmitAsync(TestJobs.Infer());
        await handler.AssertStartedAsync();

        worker.Dispose();

        await handler.AssertCancelledAsync();
    }
}
