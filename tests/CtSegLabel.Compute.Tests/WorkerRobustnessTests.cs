using System.Text;
using System.Text.Json.Nodes;
using CtSegLabel.Compute.Jobs;
using CtSegLabel.Compute.Protocol;
using CtSegLabel.Compute.Tests.Support;
using CtSegLabel.Compute.Worker;
using NetMQ;
using NetMQ.Sockets;

namespace CtSegLabel.Compute.Tests;

/// <summary>
/// The worker's side of a broken conversation: a hand-driven ROUTER plays the broker and sends what a buggy or foreign
/// broker might. The worker, often a separate `ctseg worker` process on a GPU box, must answer what it can and keep serving.
/// </summary>
public sealed class WorkerRobustnessTests
{
    private static readonly byte[] Empty = [];

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private sealed class FakeBroker : IDisposable
    {
        private readonly RouterSocket _router = new();
        private byte[]? _worker;

        public FakeBroker()
        {
            _router.Options.Linger = TimeSpan.Zero;
            Endpoint = $"tcp://127.0.0.1:{_router.BindRandomPort("tcp://127.0.0.1")}";
        }

        public string Endpoint { get; }

        /// <summary>The next command from the worker other than HEARTBEAT, with the frames after it.</summary>
        public (WorkerCommand Command, NetMQMessage Frames) Receive()
        {
            var deadline = DateTime.UtcNow + TestJobs.Patience;
            while (DateTime.UtcNow < deadline)
            {
                var message = new NetMQMessage();
                if (!_router.TryReceiveMultipartMessage(TimeSpan.FromMilliseconds(100), ref message)) continue;
                _worker = message.Pop().ToByteArray();
                Assert.True(MajordomoWorkerProtocol.TryReadCommand(message, out var command), "the worker sent something that is not MDPW01");
                if (command != WorkerCommand.Heartbeat) return (command, message);
                Send(WorkerCommand.Heartbeat); // keep the worker from giving up on us
            }
            Assert.Fail("the worker sent nothing");
            return default;
        }

        public void Send(WorkerCommand command, params byte[][] rest)
        {
            var message = MajordomoWorkerProtocol.Command(command, rest);
            message.Push(_worker ?? throw new InvalidOperationException("no worker has spoken yet"));
            Assert.True(_router.TrySendMultipartMessage(TimeSpan.FromSeconds(5), message));
        }

        public void Dispose() => _router.Dispose();
    }

    private static byte[][] Request(string id, string header) => [Utf8(id), Empty, Utf8(header)];

    private static JsonObject StatusOf(NetMQMessage reply) => JsonNode.Parse(reply[2].ConvertToString())!.AsObject();

    [Fact]
    public void Malformed_requests_get_a_failure_reply_or_are_dropped_and_the_worker_serves_on()
    {
        using var broker = new FakeBroker();
        // The fake broker answers heartbeats only while the test waits for a reply: a long liveness keeps a stall of the
        // test thread (CI on 2 loaded cores saw one) from making the worker reconnect and say READY mid-test.
        using var worker = new ComputeWorker(new WorkerOptions { Endpoint = broker.Endpoint, Name = "w", Heartbeat = TestJobs.Heartbeat with { Liveness = 600 } },
            [new EchoHandler()]);
        worker.Start();
        Assert.Equal(WorkerCommand.Ready, broker.Receive().Command);

        broker.Send(WorkerCommand.Request);                                   // no job id: nothing to answer
        broker.Send(WorkerCommand.Cancel);                                    // no job id
        broker.Send(WorkerCommand.Cancel, Utf8("not-running"));
        foreach (var (id, header) in new[]
                 {
                     ("no-body", null),
                     ("not-json", "{kind"),
                     ("kind-number", """{"kind":5,"target":"echo"}"""),
                     ("key-twice", """{"kind":"infer","kind":"train","target":"echo"}"""),
                     ("unknown-target", """{"kind":"infer","target":"other"}"""),
                 })
        {
            broker.Send(WorkerCommand.Request, header is null ? [Utf8(id), Empty] : Request(id, header));
            var (command, reply) = broker.Receive();
            Assert.Equal(WorkerCommand.Reply, command);
            Assert.Equal(id, reply[0].ConvertToString());
            var status = StatusOf(reply);
            Assert.False(status["ok"]!.GetValue<bool>());
            Assert.Equal(WorkerErrorTypes.Failed, status["error_type"]!.GetValue<string>());
        }

        broker.Send(WorkerCommand.Request, Request("good", """{"kind":"infer","target":"echo","job":{"n":9}}"""));
        var (last, good) = broker.Receive();
        Assert.Equal(WorkerCommand.Reply, last);
        Assert.Equal("good", good[0].ConvertToString());
        Assert.True(StatusOf(good)["ok"]!.GetValue<bool>());
        Assert.Equal(9, JobFrames.Read(good, 3).Header["echo"]!["n"]!.GetValue<int>());
    }
}
