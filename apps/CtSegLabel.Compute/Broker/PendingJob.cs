using System.Text.Json.Nodes;
using CtSegLabel.Compute.Jobs;

namespace CtSegLabel.Compute.Broker;

/// <summary>A submitted job as the broker tracks it, from submission until its caller has an answer.</summary>
internal sealed class PendingJob(string id, JobRequest request, IProgress<JsonObject>? progress, DateTime deadline)
{
    public string Id { get; } = id;

    public JobRequest Request { get; } = request;

    public IProgress<JsonObject>? Progress { get; } = progress;

    public DateTime Deadline { get; } = deadline;

    public TaskCompletionSource<JobReply> Answer { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Workers it has been given to; more than one means a worker died under it.</summary>
    public int Attempts { get; set; }

    /// <summary>Names of the workers lost while running it, for the failure message.</summary>
    public List<string> LostOn { get; } = [];

    /// <summary>Since when no connected worker could run it (null while one can).</summary>
    public DateTime? UnservedSince { get; set; }

    /// <summary>Set when the caller gave up while a worker ran the job: the answer waits for that worker's REPLY, so
    /// that a caller who stops a training sees it end only once the worker has stopped (and kept its checkpoint).</summary>
    public CancellationToken? CancelledBy { get; set; }

    public string Describe => $"{Request.Kind} '{Request.Target}'";
}
