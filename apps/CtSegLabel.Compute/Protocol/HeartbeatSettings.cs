namespace CtSegLabel.Compute.Protocol;

/// <summary>
/// Timing of the Paranoid Pirate heartbeat that MDP specifies: each side sends a HEARTBEAT every
/// <see cref="Interval"/> when it has sent nothing else, and counts the peer dead after <see cref="Liveness"/>
/// silent intervals. A worker that lost its broker reconnects after <see cref="ReconnectInitial"/>, doubling the wait
/// each time up to <see cref="ReconnectMax"/>. The defaults are the Guide's (2.5 s × 3, 1 s → 32 s); tests shorten them.
/// </summary>
public sealed record HeartbeatSettings
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(2500);

    public int Liveness { get; init; } = 3;

    public TimeSpan ReconnectInitial { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMax { get; init; } = TimeSpan.FromSeconds(32);

    /// <summary>How long a peer may stay silent before it counts as dead.</summary>
    public TimeSpan Expiry => Interval * Liveness;

    public static HeartbeatSettings Default { get; } = new();
}
