using System.Text;
using CtSegLabel.Compute.Broker;
using CtSegLabel.Compute.Jobs;
using CtSegLabel.Compute.Protocol;
using CtSegLabel.Compute.Security;
using CtSegLabel.Compute.Tests.Support;
using NetMQ;
using NetMQ.Sockets;

namespace CtSegLabel.Compute.Tests;

/// <summary>
/// A peer that does not speak the protocol — a port scanner, a buggy worker, a worker of another version — must not
/// stop the broker: it serves every other worker from one thread, in the server's process.
/// </summary>
public sealed class ProtocolRobustnessTests
{
    private static readonly byte[] Empty = [];

    /// <summary>The hand-driven peers here send no heartbeats: a minute of liveness keeps them registered while a test talks.</summary>
    private static readonly HeartbeatSettings RawPeerHeartbeat = TestJobs.Heartbeat with { Liveness = 600 };

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Mdp(WorkerCommand command) => [(byte)command];

    private static void Send(DealerSocket socket, params byte[][] frames)
    {
        var message = new NetMQMessage();
        foreach (var frame in frames) message.Append(frame);
        Assert.True(socket.TrySendMultipartMessage(TimeSpan.FromSeconds(5), message));
    }

    private static void SendMdp(DealerSocket socket, WorkerCommand command, params byte[][] rest) =>
        Send(socket, [Empty, Utf8(MajordomoWorkerProtocol.Header), Mdp(command), .. rest]);

    /// <summary>Receives messages until a command arrives (heartbeats are skipped) and returns it with its frames.</summary>
    private static (WorkerCommand Command, NetMQMessage Frames) Receive(DealerSocket socket, WorkerCommand skip = WorkerCommand.Heartbeat)
    {
        var deadline = DateTime.UtcNow + TestJobs.Patience;
        while (DateTime.UtcNow < deadline)
        {
            var message = new NetMQMessage();
            if (!socket.TryReceiveMultipartMessage(TimeSpan.FromMilliseconds(200), ref message)) continue;
            Assert.True(MajordomoWorkerProtocol.TryReadCommand(message, out var command), "the broker sent something that is not MDPW01");
            if (command != skip) return (command, message);
        }
        Assert.Fail("the broker sent nothing");
        return default;
    }

    private static string Capabilities(string target) => $$$"""{"name":"raw","jobs":{"infer":["{{{target}}}"]}}""";

    [Fact]
    public async Task Garbage_and_malformed_commands_get_a_disconnect_or_are_dropped_and_the_broker_serves_on()
    {
        using var cluster = new Cluster(new BrokerOptions { RemoteEndpoint = "tcp://127.0.0.1:0" });
        using var raw = new DealerSocket();
        raw.Options.Linger = TimeSpan.Zero;
        raw.Connect(cluster.Broker.RemoteEndpoint!);

        Send(raw, Utf8("GET / HTTP/1.1"));                                              // not MDP at all
        Send(raw, Empty, Utf8("MDPW99"), Mdp(WorkerCommand.Ready));                      // another protocol version
        SendMdp(raw, (WorkerCommand)0x7f);                                               // an unknown command
        Send(raw, Empty, Utf8(MajordomoWorkerProtocol.Header), [1, 2]);                  // a command of two bytes
        SendMdp(raw, WorkerCommand.Reply, Utf8("no-such-job"), Empty, Utf8("{}"), Utf8("{}")); // before READY
        Assert.Equal(WorkerCommand.Disconnect, Receive(raw).Command);
        SendMdp(raw, WorkerCommand.Ready);                                               // no service
        Assert.Equal(WorkerCommand.Disconnect, Receive(raw).Command);
        SendMdp(raw, WorkerCommand.Ready, Utf8("other.service"), Utf8(Capabilities("raw")));
        Assert.Equal(WorkerCommand.Disconnect, Receive(raw).Command);
        Assert.Empty(cluster.Broker.Workers);
        await cluster.JoinWorker("real", new EchoHandler());
        Assert.Equal("real", (await cluster.Broker.SubmitAsync(TestJobs.Infer()).Within()).Worker);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("""{"jobs":{"infer":[1]}}""")]
    [InlineData("""{"jobs":{"infer":[null]}}""")]
    [InlineData("""{"name":5}""")]
    [InlineData("""{"pid":"x"}""")]
    [InlineData("""{"pid":1e40}""")]
    [InlineData("""{"memory_bytes":true}""")]
    [InlineData("""{"versions":{"m":[1]}}""")]
    [InlineData("""{"name":"a","name":"b"}""")]
    [InlineData(null)] // bytes that are not UTF-8
    public async Task Ready_with_malformed_capabilities_is_refused_with_disconnect(string? capabilities)
    {
        using var cluster = new Cluster(new BrokerOptions { RemoteEndpoint = "tcp://127.0.0.1:0" });
        using var raw = new DealerSocket();
        raw.Options.Linger = TimeSpan.Zero;
        raw.Connect(cluster.Broker.RemoteEndpoint!);

        SendMdp(raw, WorkerCommand.Ready, Utf8(MajordomoWorkerProtocol.Service), capabilities is null ? [0xff, 0xfe, 0x00] : Utf8(capabilities));

        Assert.Equal(WorkerCommand.Disconnect, Receive(raw).Command);
        Assert.Empty(cluster.Broker.Workers);
        Assert.Contains(cluster.BrokerLog, line => line.StartsWith("refused a worker"));
        await cluster.JoinWorker("real", new EchoHandler());
        Assert.Equal("real", (await cluster.Broker.SubmitAsync(TestJobs.Infer()).Within()).Worker);
    }

    /// <summary>A hand-driven DEALER that has said READY as worker "raw" and is listed by the broker.</summary>
    private static async Task<DealerSocket> RegisteredRawWorkerAsync(Cluster cluster)
    {
        var raw = new DealerSocket();
        raw.Options.Linger = TimeSpan.Zero;
        raw.Connect(cluster.Broker.RemoteEndpoint!);
        SendMdp(raw, WorkerCommand.Ready, Utf8(MajordomoWorkerProtocol.Service), Utf8(Capabilities("raw")));
        await TestJobs.Until(() => cluster.Broker.Workers.Count == 1, "the raw worker registered");
        return raw;
    }

    [Fact]
    public async Task A_frame_beyond_the_wire_limit_disconnects_its_sender_before_the_broker_buffers_it()
    {
        // The raw peer sends no heartbeats: once cut off it is declared dead within five seconds, and not before it has
        // been given the job even if this thread stalls between its READY and the submission.
        using var cluster = new Cluster(new BrokerOptions { RemoteEndpoint = "tcp://127.0.0.1:0", Heartbeat = TestJobs.Heartbeat with { Liveness = 50 } });
        using var raw = await RegisteredRawWorkerAsync(cluster);
        var job = cluster.Broker.SubmitAsync(TestJobs.Infer("raw"));
        var (_, request) = Receive(raw);
        SendMdp(raw, WorkerCommand.Reply, request[0].ToByteArray(), Empty, Utf8("""{"ok":true}"""), Utf8("{}"),
            new byte[JobFrames.MaxWireFrameBytes + 1]);

        // Had the broker read that reply, the job would have failed as malformed; cut off instead, the peer goes silent
        // and its job runs on a real worker.
        await cluster.JoinWorker("real", new EchoHandler("raw"));
        Assert.Equal("real", (await job.Within()).Worker);
    }

    [Fact]
    public async Task A_registered_worker_sending_broken_progress_and_a_broken_reply_fails_only_its_own_job()
    {
        using var cluster = new Cluster(new BrokerOptions { RemoteEndpoint = "tcp://127.0.0.1:0", Heartbeat = RawPeerHeartbeat });
        using var raw = await RegisteredRawWorkerAsync(cluster);
        var progress = new List<string>();

        var job = cluster.Broker.SubmitAsync(TestJobs.Infer("raw"), new Progress(progress));
        var (command, request) = Receive(raw);
        Assert.Equal(WorkerCommand.Request, command);
        byte[] id = request[0].ToByteArray();
        SendMdp(raw, WorkerCommand.Progress, id, Empty, Utf8("{broken"));
        SendMdp(raw, WorkerCommand.Progress, id, Empty, Utf8("[1]"));
        SendMdp(raw, WorkerCommand.Progress, id);
        SendMdp(raw, WorkerCommand.Progress, Utf8("someone-elses-job"), Empty, Utf8("""{"step":0}"""));
        SendMdp(raw, WorkerCommand.Progress, id, Empty, Utf8("""{"step":1}"""));
        SendMdp(raw, WorkerCommand.Reply, id);                                   // too short: ignored
        SendMdp(raw, WorkerCommand.Reply, Utf8("someone-elses-job"), Empty, Utf8("""{"ok":true}"""), Utf8("{}"));
        SendMdp(raw, WorkerCommand.Reply, id, Empty, Utf8("""{"ok":"yes","error_type":7,"error":["x"]}"""), Utf8("{}"));

        var error = await Assert.ThrowsAsync<ComputeJobFailedException>(() => job.Within());
        Assert.Equal(WorkerErrorTypes.Failed, error.Reason);
        lock (progress) Assert.Equal(["""{"step":1}"""], progress);

        await cluster.JoinWorker("real", new EchoHandler());
        Assert.Equal("real", (await cluster.Broker.SubmitAsync(TestJobs.Infer()).Within()).Worker);
        Assert.Equal(0, cluster.Broker.QueueLength);
    }

    [Fact]
    public async Task A_reply_with_an_oversized_or_broken_body_fails_the_job_as_malformed()
    {
        using var cluster = new Cluster(new BrokerOptions { RemoteEndpoint = "tcp://127.0.0.1:0", Heartbeat = RawPeerHeartbeat });
        using var raw = await RegisteredRawWorkerAsync(cluster);

        foreach (byte[][] body in new byte[][][]
                 {
                     [Utf8("{}"), new byte[JobFrames.MaxFrameBytes + 1]],
                     [Utf8("not json")],
                     [Utf8("[]")],
                 })
        {
            var job = cluster.Broker.SubmitAsync(TestJobs.Infer("raw"));
            var (command, request) = Receive(raw);
            Assert.Equal(WorkerCommand.Request, command);
            SendMdp(raw, WorkerCommand.Reply, [request[0].ToByteArray(), Empty, Utf8("""{"ok":true}"""), .. body]);

            var error = await Assert.ThrowsAsync<ComputeJobFailedException>(() => job.Within());
            Assert.Equal(WorkerErrorTypes.Failed, error.Reason);
            Assert.Contains("malformed result", error.Message);
            Assert.Contains("infer 'raw'", error.Message);
        }
    }

    [Fact]
    public async Task A_malformed_token_on_a_curve_broker_is_refused_and_the_broker_serves_on()
    {
        using var dir = new TestDir();
        var keys = BrokerKeys.LoadOrCreate(dir.File("workers.key"));
        using var cluster = new Cluster(new BrokerOptions { RemoteEndpoint = "tcp://127.0.0.1:0", Keys = keys });
        using var raw = new DealerSocket();
        raw.Options.Linger = TimeSpan.Zero;
        raw.Options.CurveServerKey = keys.Certificate.PublicKey;
        raw.Options.CurveCertificate = new NetMQCertificate();
        raw.Connect(cluster.Broker.RemoteEndpoint!);

        foreach (string capabilities in new[] { """{"token":5}""", """{"token":null}""", """{"token":{"a":1}}""", "{}" })
        {
            SendMdp(raw, WorkerCommand.Ready, Utf8(MajordomoWorkerProtocol.Service), Utf8(capabilities));
            Assert.Equal(WorkerCommand.Disconnect, Receive(raw).Command);
        }

        Assert.Empty(cluster.Broker.Workers);
        await cluster.JoinWorker("real", new EchoHandler(), cluster.Broker.RemoteEndpoint, keys.WorkerCredentials);
        Assert.Equal("real", (await cluster.Broker.SubmitAsync(TestJobs.Infer()).Within()).Worker);
    }

    private sealed class Progress(List<string> lines) : IProgress<System.Text.Json.Nodes.JsonObject>
    {
        public void Report(System.Text.Json.Nodes.JsonObject value)
        {
            lock (lines) lines.Add(value.ToJsonString());
        }
    }
}
