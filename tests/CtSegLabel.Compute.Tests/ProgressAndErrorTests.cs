using System.Text.Json.Nodes;
using CtSegLabel.Compute.Jobs;
using CtSegLabel.Compute.Tests.Support;

namespace CtSegLabel.Compute.Tests;

/// <summary>What a job says on its way: progress messages in order, and a worker's error as the caller's exception.</summary>
public sealed class ProgressAndErrorTests
{
    /// <summary>Records on the thread that reports (Progress&lt;T&gt; would post each report to the pool and lose the order).</summary>
    private sealed class Recorder : IProgress<JsonObject>
    {
        public List<int> Steps { get; } = [];

        public void Report(JsonObject value)
        {
            lock (Steps) Steps.Add(value["step"]!.GetValue<int>());
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Progress_messages_arrive_in_order_before_the_reply(bool overTcp)
    {
        using var cluster = new Cluster(new() { RemoteEndpoint = overTcp ? "tcp://127.0.0.1:0" : null });
        await cluster.JoinWorker("w", new ProgressHandler(200), overTcp ? cluster.Broker.RemoteEndpoint : null);
        var recorder = new Recorder();

        var reply = await cluster.Broker.SubmitAsync(TestJobs.Infer(), recorder).Within();

        Assert.Equal(200, reply.Header["steps"]!.GetValue<int>());
        lock (recorder.Steps) Assert.Equal(Enumerable.Range(1, 200), recorder.Steps);
    }

    private sealed class Throwing : IProgress<JsonObject>
    {
        public void Report(JsonObject value) => throw new InvalidOperationException("the caller's progress sink broke");
    }

    [Fact]
    public async Task A_callers_progress_handler_that_throws_does_not_stop_the_broker()
    {
        using var cluster = new Cluster();
        await cluster.JoinWorker("w", new ProgressHandler(3));

        var reply = await cluster.Broker.SubmitAsync(TestJobs.Infer(), new Throwing()).Within();

        Assert.Equal(3, reply.Header["steps"]!.GetValue<int>());
        Assert.Contains(cluster.BrokerLog, line => line.Contains("the caller's progress sink broke"));
        var recorder = new Recorder();
        await cluster.Broker.SubmitAsync(TestJobs.Infer(), recorder).Within();
        lock (recorder.Steps) Assert.Equal([1, 2, 3], recorder.Steps);
    }

    [Fact]
    public async Task A_parameter_error_on_the_worker_fails_the_job_with_reason_parameter_and_its_message()
    {
        using var cluster = new Cluster();
        await cluster.JoinWorker("w", new ParameterErrorHandler());

        var error = await Assert.ThrowsAsync<ComputeJobFailedException>(() => cluster.Broker.SubmitAsync(TestJobs.Infer()).Within());

        Assert.Equal(WorkerErrorTypes.Parameter, error.Reason);
        Assert.Contains(ParameterErrorHandler.Problem, error.Message);
        Assert.Contains("label_names", error.Message);
        // A failed job is a finished one: the worker is free and was not retried elsewhere.
        await TestJobs.Until(() => cluster.Broker.Workers is [{ Job: null, JobsDone: 1 }], "the worker is idle with one job done");
        Assert.Equal(0, cluster.Broker.QueueLength);
    }
}
