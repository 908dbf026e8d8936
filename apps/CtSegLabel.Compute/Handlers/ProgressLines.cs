using System.Text.Json.Nodes;
using CtSegLabel.Compute.Jobs;

namespace CtSegLabel.Compute.Handlers;

/// <summary>A task's progress text as a job's progress messages (<see cref="TaskJob.ProgressLine"/>). Synchronous, so
/// the lines reach the server in the order the task wrote them.</summary>
internal sealed class ProgressLines(IProgress<JsonObject> progress) : IProgress<string>
{
    public void Report(string value) => progress.Report(TaskJob.ProgressLine(value));
}
