using System.Collections.Concurrent;
using CtSegLabel.Compute.Broker;
using CtSegLabel.Compute.Protocol;
using CtSegLabel.Compute.Security;
using CtSegLabel.Compute.Worker;

namespace CtSegLabel.Compute.Tests.Support;

/// <summary>A started broker and the workers a test adds to it, all on real sockets, torn down together.</summary>
internal sealed class Cluster : IDisposable
{
    private readonly List<ComputeWorker> _workers = [];
    private readonly HeartbeatSettings _heartbeat;

    public Cluster(BrokerOptions? options = null)
    {
        options ??= new BrokerOptions();
        // The test's fast heartbeat unless the test chose its own.
        if (options.Heartbeat == HeartbeatSettings.Default) options = options with { Heartbeat = TestJobs.Heartbeat };
        _heartbeat = options.Heartbeat;
        Broker = new ComputeBroker(options, BrokerLog.Enqueue);
        Broker.Start();
    }

    public ComputeBroker Broker { get; }

    public ConcurrentQueue<string> BrokerLog { get; } = new();

    /// <summary>Starts a worker on the in-process endpoint, or on <paramref name="endpoint"/>.</summary>
    public ComputeWorker AddWorker(string name, IJobHandler handler, string? endpoint = null, WorkerCredentials? credentials = null,
        IReadOnlyDictionary<string, string>? versions = null)
    {
        var worker = new ComputeWorker(new WorkerOptions
        {
            Endpoint = endpoint ?? Broker.LocalEndpoint,
            Name = name,
            Heartbeat = _heartbeat, // the broker's: both sides agree on when the other is dead
            Credentials = credentials,
        }, [handler], versions is null ? null : () => versions);
        _workers.Add(worker);
        worker.Start();
        return worker;
    }

    /// <summary>Starts a worker and waits until the broker lists it.</summary>
    public async Task<ComputeWorker> JoinWorker(string name, IJobHandler handler, string? endpoint = null, WorkerCredentials? credentials = null,
        IReadOnlyDictionary<string, string>? versions = null)
    {
        var worker = AddWorker(name, handler, endpoint, credentials, versions);
        await TestJobs.Until(() => Broker.Workers.Any(w => w.Capabilities.Name == name), $"worker {name} joined the broker");
        return worker;
    }

    public void Dispose()
    {
        foreach (var worker in _workers) worker.Dispose();
        Broker.Dispose();
    }
}
