using System.Text.Json.Nodes;
using CtSegLabel.Compute.Jobs;
using CtSegLabel.Compute.Worker;

namespace CtSegLabel.Compute.Tests.Support;

/// <summary>A handler that does not look at its token (a native call that cannot be interrupted): its first job
/// finishes only when the test says so, and its REPLY then reaches a broker that already gave the job up.</summary>
internal sealed class IgnoresCancellationHandler : IJobHandler
{
    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Finish { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Kind => JobKinds.Infer;

    public IReadOnlyList<string> Targets { get; } = [TestJobs.Target];

    public async Task<(JsonObject Header, byte[] Payload)> RunAsync(JobRequest job, IProgress<JsonObject> progress, CancellationToken cancellation)
    {
        Started.TrySetResult();
        await Finish.Task;
        return (new JsonObject { ["n"] = job.Header["n"]?.DeepClone() }, []);
    }
}
