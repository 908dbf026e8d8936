using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CtSegLabel.PluginAdapter.Wire;

/// <summary>
/// A background task (train, scoring, batch infer) as MONAI Label reports it. <c>details</c> holds the
/// last lines of the task's output and is present once the task started; <c>end_ts</c> once it ended.
/// Timestamps are local-time strings <c>YYYY-MM-DD HH:MM:SS</c>.
/// </summary>
public sealed record TaskDto(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("request")] JsonObject Request,
    [property: JsonPropertyName("start_ts")] string StartTs,
    [property: JsonPropertyName("details"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Details,
    [property: JsonPropertyName("end_ts"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? EndTs,
    [property: JsonPropertyName("result"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonNode? Result);

/// <summary>The task states, spelled as on the wire.</summary>
public static class TaskStates
{
    public const string Submitted = "SUBMITTED";
    public const string Running = "RUNNING";
    public const string Done = "DONE";
    public const string Error = "ERROR";
    public const string Stopped = "STOPPED";
}
