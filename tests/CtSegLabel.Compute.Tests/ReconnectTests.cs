using System.Net.Sockets;
using CtSegLabel.Compute.Broker;
using CtSegLabel.Compute.Tests.Support;
using CtSegLabel.Compute.Worker;
using NetMQ;

namespace CtSegLabel.Compute.Tests;

/// <summary>The Paranoid Pirate half of the worker: it outlives its broker and joins the next one on the same endpoint.</summary>
public sealed class ReconnectTests
{
    [Fact]
    public async Task A_worker_serves_again_after_the_broker_restarts_on_the_same_port()
    {
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var options = new BrokerOptions { RemoteEndpoint = "tcp://127.0.0.1:0", Heartbeat = TestJobs.Heartbeat };
        var first = new ComputeBroker(options);
        first.Start();
        string endpoint = first.RemoteEndpoint!;
        using var worker = new ComputeWorker(new WorkerOptions { Endpoint = endpoint, Name = "survivor", Heartbeat = TestJobs.Heartbeat },
            [new EchoHandler()], log: log.Enqueue);
        worker.Start();
        try
        {
            Assert.Equal("survivor", (await first.SubmitAsync(TestJobs.Infer()).Within()).Worker);
        }
        finally
        {
            first.Dispose();
        }

        using var second = await BindAgain(options with { RemoteEndpoint = endpoint });
        second.Start();
        await TestJobs.Until(() => second.Workers.Count == 1, "the worker joined the restarted broker");

        var reply = await second.SubmitAsync(TestJobs.Infer(n: 5)).Within();
        Assert.Equal(("survivor", 1), (reply.Worker, reply.Attempts));
        Assert.Equal(5, reply.Header["echo"]!["n"]!.GetValue<int>());
        Assert.Equal(2, worker.JobsDone);
        Assert.NotEmpty(log); // it said why it reconnected
    }

    /// <summary>The old listener's port can stay taken for a moment after it closed; a restarting server would retry too.</summary>
    private static async Task<ComputeBroker> BindAgain(BrokerOptions options)
    {
        var deadline = DateTime.UtcNow + TestJobs.Patience;
        while (true)
        {
            try
            {
                return new ComputeBroker(options);
            }
            catch (Exception e) when (e is NetMQException or SocketException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}
