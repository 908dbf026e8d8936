using System.Globalization;
using System.Text.Json.Nodes;
using CtSegLabel.PluginAdapter.Wire;

namespace CtSegLabel.Server.Tasks;

/// <summary>One background task's mutable state. Every access goes through the owning runner's lock;
/// clients see <see cref="ToDto"/> snapshots.</summary>
public sealed class TaskRecord
{
    public const int DetailLines = 20;

    private readonly Queue<string> _details = new();

    public TaskRecord(string kind, JsonObject request, DateTimeOffset submitted)
    {
        Kind = kind;
        Request = request;
        StartTs = LocalTimestamp(submitted);
    }

    public string Id { get; } = Guid.NewGuid().ToString();

    public string Kind { get; }

    public JsonObject Request { get; }

    public string Status { get; set; } = TaskStates.Submitted;

    public string StartTs { get; }

    public string? EndTs { get; set; }

    public JsonNode? Result { get; set; }

    public bool Started { get; set; }

    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>Completes when the work has actually returned (a stopped task may take a moment).</summary>
    public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsActive => Status is TaskStates.Submitted or TaskStates.Running;

    public void AddDetail(string line)
    {
        _details.Enqueue(line);
        while (_details.Count > DetailLines) _details.Dequeue();
    }

    public TaskDto ToDto() => new(Id, Status, (JsonObject)Request.DeepClone(), StartTs,
        Started || _details.Count > 0 ? _details.ToList() : null, EndTs, Result?.DeepClone());

    /// <summary>MONAI Label's timestamp format: local time, <c>YYYY-MM-DD HH:MM:SS</c>.</summary>
    public static string LocalTimestamp(DateTimeOffset t) =>
        t.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
