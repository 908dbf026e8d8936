using System.Text.Json.Nodes;

namespace CtSegLabel.CtApp.Tests.Workers;

/// <summary>Keeps a job's progress objects in the order they were reported (synchronously, like the worker's relay).</summary>
internal sealed class JobProgressLog : IProgress<JsonObject>
{
    private readonly List<JsonObject> _reports = [];

    public void Report(JsonObject value)
    {
        lock (_reports) _reports.Add((JsonObject)value.DeepClone());
    }

    public IReadOnlyList<JsonObject> Reports
    {
        get { lock (_reports) return [.. _reports]; }
    }
}
