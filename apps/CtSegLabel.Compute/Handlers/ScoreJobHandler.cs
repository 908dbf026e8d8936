using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Compute.Jobs;
using CtSegLabel.Compute.Worker;

namespace CtSegLabel.Compute.Handlers;

/// <summary>Runs score jobs with the app's scoring methods over <paramref name="datastore"/> (which they write their
/// scores into); progress lines travel back as written, and the method's result object is the reply.</summary>
public sealed class ScoreJobHandler(ISegmentationApp app, IDatastoreView datastore) : IJobHandler
{
    private readonly Dictionary<string, IScoringMethod> _methods = app.ScoringMethods.ToDictionary(m => m.Name, StringComparer.Ordinal);

    public string Kind => JobKinds.Score;

    public IReadOnlyList<string> Targets { get; } = [.. app.ScoringMethods.Select(m => m.Name)];

    public async Task<(JsonObject Header, byte[] Payload)> RunAsync(JobRequest job, IProgress<JsonObject> progress, CancellationToken cancellation)
    {
        var method = _methods.GetValueOrDefault(job.Target)
            ?? throw new InvalidOperationException($"the app has no scoring method '{job.Target}'");
        var result = await method.ScoreAsync(TaskJob.ParamsOf(job), datastore, new ProgressLines(progress), cancellation);
        return (result, []);
    }
}
