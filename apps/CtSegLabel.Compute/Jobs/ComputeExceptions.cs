namespace CtSegLabel.Compute.Jobs;

/// <summary>The broker's queue of waiting jobs is full; the caller should try again after <see cref="RetryAfter"/>.</summary>
public sealed class ComputeQueueFullException(int capacity, TimeSpan retryAfter)
    : Exception($"all compute workers are busy and {capacity} jobs are already waiting; try again in {retryAfter.TotalSeconds:F0} s")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>A job ended without a result: no worker could run it, every worker that took it died, it ran past
/// its time limit, or the worker reported an error. The message says which, for the person who asked.</summary>
public class ComputeJobFailedException(string message, string reason) : Exception(message)
{
    /// <summary>Machine-readable cause: <c>no-worker</c>, <c>worker-lost</c>, <c>timeout</c>, or the worker's
    /// error type (<see cref="WorkerErrorTypes"/>).</summary>
    public string Reason { get; } = reason;

    /// <summary>For a <see cref="WorkerErrorTypes.Parameter"/> error: the parameter the task refused.</summary>
    public string? Key { get; init; }
}
