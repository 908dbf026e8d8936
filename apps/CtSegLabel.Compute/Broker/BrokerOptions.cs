using CtSegLabel.Compute.Jobs;
using CtSegLabel.Compute.Protocol;
using CtSegLabel.Compute.Security;

namespace CtSegLabel.Compute.Broker;

/// <summary>How the broker accepts workers and how long it lets jobs wait, run and retry.</summary>
public sealed record BrokerOptions
{
    /// <summary>Where remote workers connect (<c>tcp://127.0.0.1:5557</c>); null = only in-process workers.</summary>
    public string? RemoteEndpoint { get; init; }

    /// <summary>CurveZMQ keys and token for <see cref="RemoteEndpoint"/>; required unless it is bound to loopback.</summary>
    public BrokerKeys? Keys { get; init; }

    /// <summary>Jobs that may wait for a worker; one more is refused with <see cref="ComputeQueueFullException"/>.</summary>
    public int QueueCapacity { get; init; } = 16;

    /// <summary>Workers a job may be given to: after this many died under it, it fails.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>A job fails when no connected worker can run it for this long (workers reconnect within seconds).</summary>
    public TimeSpan NoWorkerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>What a refused caller is told to wait before trying again.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest time from submission to result, per job kind; longer ones are cancelled on their worker and fail.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Timeouts { get; init; } = new Dictionary<string, TimeSpan>
    {
        [JobKinds.Infer] = TimeSpan.FromMinutes(10),
        [JobKinds.Score] = TimeSpan.FromHours(12),
        [JobKinds.Train] = TimeSpan.FromDays(7),
    };

    public HeartbeatSettings Heartbeat { get; init; } = HeartbeatSettings.Default;

    public TimeSpan TimeoutOf(string kind) => Timeouts.TryGetValue(kind, out var t) ? t : TimeSpan.FromHours(1);
}
