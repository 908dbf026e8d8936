using System.Text.Json.Nodes;

namespace CtSegLabel.Compute.Jobs;

/// <summary>
/// A train or score job on the wire: header <c>{params}</c> (the request as the client sent it), no payload — the
/// worker reads images and labels through its own view of the datastore. Progress messages are <c>{line}</c> (the
/// task's progress text); the reply header is the task's result object.
/// </summary>
public static class TaskJob
{
    public static JobRequest Request(string kind, string target, JsonObject parameters) =>
        new(kind, target, new JsonObject { ["params"] = parameters.DeepClone() });

    public static JsonObject ParamsOf(JobRequest request) => request.Header["params"] as JsonObject ?? [];

    public static JsonObject ProgressLine(string line) => new() { ["line"] = line };

    /// <summary>Relays a job's progress lines to a task's progress text.</summary>
    public static IProgress<JsonObject> Lines(IProgress<string> lines) => new LineRelay(lines);

    /// <summary>Synchronous, so lines keep their order (Progress&lt;T&gt; would post each to the thread pool).</summary>
    private sealed class LineRelay(IProgress<string> lines) : IProgress<JsonObject>
    {
        public void Report(JsonObject value)
        {
            if (value["line"]?.GetValue<string>() is { } line) lines.Report(line);
        }
    }
}
