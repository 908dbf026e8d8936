using CtSegLabel.Compute.Worker;

namespace CtSegLabel.Compute.Broker;

/// <summary>One connected worker as <c>/info/</c> and <c>/logs/gpu</c> show it.</summary>
/// <param name="Remote">Connected over the remote endpoint (not the server's own in-process worker).</param>
/// <param name="Job">"kind target" of the job it is running, or null when idle.</param>
public sealed record WorkerSnapshot(WorkerCapabilities Capabilities, bool Remote, DateTime ConnectedAt, string? Job, int JobsDone);
