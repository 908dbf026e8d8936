using System.Text.Json.Nodes;
using CtSegLabel.Compute.Jobs;

namespace CtSegLabel.Compute.Broker;

/// <summary>A submitted job as the broker tracks it, from submission until its caller has an answer.</summary>
internal sealed class PendingJob(string id, JobRequest request, IProgress<JsonObject>? progress, DateTime deadline, CancellationToken cancellation = default)
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

    /// <summary>The caller's token once it has fired. A job given up while a worker runs it is answered "cancelled"
    /// only when that worker's REPLY comes (or the worker is lost), so that a caller who stops a training sees it end
    /// once the worker has stopped and kept its checkpoint. Read from the token itself, not from the broker's note of
    /// the cancellation: that is posted to the broker's loop, the REPLY arrives on a socket, and a busy loop may take
    /// the socket first.</summary>
    public CancellationToken? GivenUpBy => cancellation.IsCancellationRequested ? cancellation : null;

    public string Describe => $"{Request.Kind} '{Request.Target}'";
}
