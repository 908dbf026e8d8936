using System.Text.Json.Nodes;
using CtSegLabel.Compute.Jobs;

namespace CtSegLabel.Compute.Worker;

/// <summary>Runs one kind of job on a worker. A handler throws to fail the job; the worker turns the exception
/// into an error REPLY (<see cref="WorkerErrorTypes"/>).</summary>
public interface IJobHandler
{
    /// <summary>One of <see cref="JobKinds"/>.</summary>
    string Kind { get; }

    /// <summary>The names this handler can run (models, trainers, scoring methods), announced to the broker.</summary>
    IReadOnlyList<string> Targets { get; }

    /// <summary>Runs <paramref name="job"/>. Progress objects travel to the broker as PROGRESS messages.</summary>
    Task<(JsonObject Header, byte[] Payload)> RunAsync(JobRequest job, IProgress<JsonObject> progress, CancellationToken cancellation);
}
