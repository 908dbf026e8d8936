using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Compute.Jobs;
using CtSegLabel.Compute.Worker;

namespace CtSegLabel.Compute.Handlers;

/// <summary>Runs train jobs with the app's trainers over <paramref name="datastore"/>; each progress line travels back
/// as it is written, and the trainer's result object is the reply.</summary>
public sealed class TrainJobHandler(ISegmentationApp app, IDatastoreView datastore) : IJobHandler
{
    private readonly Dictionary<string, ITrainTask> _trainers = app.TrainTasks.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public string Kind => JobKinds.Train;

    public IReadOnlyList<string> Targets { get; } = [.. app.TrainTasks.Select(t => t.Name)];

    public async Task<(JsonObject Header, byte[] Payload)> RunAsync(JobRequest job, IProgress<JsonObject> progress, CancellationToken cancellation)
    {
        var trainer = _trainers.GetValueOrDefault(job.Target)
            ?? throw new InvalidOperationException($"the app has no trainer '{job.Target}'");
        var result = await trainer.TrainAsync(new TrainRequest(job.Target, TaskJob.ParamsOf(job)), datastore, new ProgressLines(progress), cancellation);
        return (result, []);
    }
}
