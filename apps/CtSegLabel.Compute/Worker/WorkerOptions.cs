using CtSegLabel.Compute.Protocol;
using CtSegLabel.Compute.Security;

namespace CtSegLabel.Compute.Worker;

/// <summary>How a worker reaches its broker and what it tells it about itself.</summary>
public sealed record WorkerOptions
{
    /// <summary>The broker's endpoint: <c>tcp://host:port</c>, or <c>inproc://…</c> for the server's own worker.</summary>
    public required string Endpoint { get; init; }

    /// <summary>Shown in <c>/info/</c> and logs; defaults to host:pid:n.</summary>
    public string Name { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>The device the worker's models run on (<c>cpu</c>, <c>cuda:0</c>), as announced.</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>Bytes of memory on that device the worker may use, as announced (0 = unknown).</summary>
    public long MemoryBytes { get; init; }

    /// <summary>Set when the broker's socket is secured: the server's public key and the access token.</summary>
    public WorkerCredentials? Credentials { get; init; }

    public HeartbeatSettings Heartbeat { get; init; } = HeartbeatSettings.Default;
}
