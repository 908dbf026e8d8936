using System.Security.Cryptography;
using CtSegLabel.Compute.Broker;
using CtSegLabel.Compute.Jobs;
using CtSegLabel.Compute.Tests.Support;

namespace CtSegLabel.Compute.Tests;

/// <summary>A job goes to a worker and its answer comes back whole, over the in-process and the TCP endpoint.</summary>
public sealed class RoundTripTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_payload_of_several_frames_arrives_intact_both_ways(bool overTcp)
    {
        // Heartbeats travel on the same connection, behind the payload: give the transfer five seconds of liveness so
        // that a loaded machine moving 5 MB does not pass for a dead peer (this test is about bytes, not failover).
        using var cluster = new Cluster(new BrokerOptions
        {
            RemoteEndpoint = overTcp ? "tcp://127.0.0.1:0" : null,
            Heartbeat = TestJobs.Heartbeat with { Liveness = 50 },
        });
        string endpoint = overTcp ? cluster.Broker.RemoteEndpoint! : cluster.Broker.LocalEndpoint;
        await cluster.JoinWorker("w1", new EchoHandler(), endpoint);
        // Five frames and a bit: the last frame is short, so a slicing error at either end shows in the hash.
        byte[] payload = RandomNumberGenerator.GetBytes(5 * JobFrames.MaxFrameBytes + 12345);

        var reply = await cluster.Broker.SubmitAsync(TestJobs.Infer(payload: payload, n: 7)).Within();

        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(reply.Payload));
        Assert.Equal(7, reply.Header["echo"]!["n"]!.GetValue<int>());
        Assert.Equal(TestJobs.Target, reply.Header["target"]!.GetValue<string>());
        Assert.Equal("w1", reply.Worker);
        Assert.Equal(1, reply.Attempts);
        Assert.Equal(0, cluster.Broker.QueueLength);
        await TestJobs.Until(() => cluster.Broker.Workers is [{ JobsDone: 1, Job: null } w] && w.Remote == overTcp,
            "the broker lists the worker as idle with one job done");
    }

    [Fact]
    public void The_tcp_endpoint_reports_the_port_it_was_given()
    {
        using var broker = new ComputeBroker(new BrokerOptions { RemoteEndpoint = "tcp://127.0.0.1:0" });
        Assert.StartsWith("tcp://127.0.0.1:", broker.RemoteEndpoint);
        Assert.True(int.Parse(broker.RemoteEndpoint!["tcp://127.0.0.1:".Length..]) > 0);
    }

    [Fact]
    public async Task An_empty_payload_and_many_jobs_in_a_row_complete()
    {
        using var cluster = new Cluster();
        await cluster.JoinWorker("w1", new EchoHandler());
        for (int n = 0; n < 20; n++)
        {
            var reply = await cluster.Broker.SubmitAsync(TestJobs.Infer(n: n)).Within();
            Assert.Equal(n, reply.Header["echo"]!["n"]!.GetValue<int>());
            Assert.Empty(reply.Payload);
        }
        Assert.Equal(0, cluster.Broker.QueueLength);
    }
}
