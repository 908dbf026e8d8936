using CtSegLabel.Compute.Worker;
using NetMQ.Sockets;

namespace CtSegLabel.Compute.Broker;

/// <summary>A worker the broker knows: the socket and identity to reach it, what it serves, when it was last heard.</summary>
internal sealed class WorkerEntry(RouterSocket socket, byte[] identity, WorkerCapabilities capabilities, bool remote, DateTime now)
{
    public RouterSocket Socket { get; } = socket;

    public byte[] Identity { get; } = identity;

    public WorkerCapabilities Capabilities { get; set; } = capabilities;

    public bool Remote { get; } = remote;

    public DateTime ConnectedAt { get; } = now;

    public DateTime Expiry { get; set; }

    /// <summary>When it last became idle: the broker gives work to the longest-idle worker first (MDP's LRU).</summary>
    public DateTime IdleSince { get; set; } = now;

    /// <summary>The job it runs. Stays set after the job's caller gave up, until the worker's REPLY frees it.</summary>
    public string? JobId { get; set; }

    public string? JobName { get; set; }

    public int JobsDone { get; set; }

    public WorkerSnapshot Snapshot => new(Capabilities, Remote, ConnectedAt, JobName, JobsDone);
}
