using System.Text.Json;
using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Server.Compute;
using CtSegLabel.Server.Datastore;
using CtSegLabel.Server.Hosting;
using CtSegLabel.Server.Routes;
using Microsoft.Extensions.Options;

namespace CtSegLabel.Server.Tasks;

/// <summary>
/// Auto-training (<c>--auto-train-after N</c>): counts the <c>final</c> labels saved since the last training start —
/// automatic or asked for by a client, either resets the count — and at the Nth queues a fine-tune of every trainer
/// of the app (or the one <c>--auto-train-model</c> names) exactly as <c>POST /train/{name}?enqueue=true</c> with no
/// body would: the trainer's config defaults, queued behind a training that runs. The count is kept in
/// <see cref="ServerOptions.AutoTrainStatePath"/>, so labels submitted before a restart are not forgotten.
/// </summary>
public sealed class AutoTrainer(IOptions<ServerOptions> options, LocalDatastore datastore, ComputeHost compute, ISegmentationApp app, TaskRunners runners,
    ILogger<AutoTrainer> logger) : IHostedService
{
    private const string CountKey = "final_labels_since_training";

    private readonly Lock _gate = new();
    private IReadOnlyList<ITrainTask> _trainers = [];
    private int _count;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.AutoTrainAfter <= 0) return Task.CompletedTask;
        _trainers = TrainersToStart(o.AutoTrainModel);
        if (_trainers.Count == 0)
        {
            logger.LogWarning("Auto-training after {N} labels is off: the app '{App}' has no trainer", o.AutoTrainAfter, app.Name);
            return Task.CompletedTask;
        }
        _count = ReadCount(o.AutoTrainStatePath);
        datastore.LabelSaved += OnLabelSaved;
        runners.Train.Submitted += OnTrainingSubmitted;
        logger.LogInformation("Auto-training: {Trainers} after every {N} new final labels ({Count} since the last training)",
            string.Join(", ", _trainers.Select(t => t.Name)), o.AutoTrainAfter, _count);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        datastore.LabelSaved -= OnLabelSaved;
        runners.Train.Submitted -= OnTrainingSubmitted;
        return Task.CompletedTask;
    }

    private IReadOnlyList<ITrainTask> TrainersToStart(string? name)
    {
        if (string.IsNullOrWhiteSpace(name)) return app.TrainTasks;
        var trainer = app.TrainTasks.FirstOrDefault(t => t.Name == name)
            ?? throw new InvalidOperationException($"--auto-train-model {name}: the app '{app.Name}' has no such trainer; it has " +
                (app.TrainTasks.Count == 0 ? "none" : string.Join(", ", app.TrainTasks.Select(t => t.Name))));
        return [trainer];
    }

    // Runs inside the label request, after the label was stored: a failure here must not fail the submission.
    private void OnLabelSaved(string id, string tag)
    {
        if (tag != IDatastoreView.FinalTag) return;
        try
        {
            bool due;
            int count;
            lock (_gate)
            {
                count = ++_count;
                due = count >= options.Value.AutoTrainAfter;
                WriteCount(count);
            }
            if (!due) return;
            logger.LogInformation("Auto-training: {Count} new final labels (the last for {Image}); queueing {Trainers}",
                count, id, string.Join(", ", _trainers.Select(t => t.Name)));
            foreach (var trainer in _trainers)
            {
                var request = TaskEndpoints.Merge("model", trainer.Name, trainer.Config, []);
                var task = runners.Train.Start(request, TrainApi.Work(trainer, request, compute), enqueue: true);
                logger.LogInformation("Auto-training: train task {Id} for {Trainer} is {Status}", task.Id, trainer.Name, task.Status);
            }
        }
        catch (Exception e)
        {
            logger.LogError(e, "Auto-training after the label of {Image} failed to start", id);
        }
    }

    private void OnTrainingSubmitted(PluginAdapter.Wire.TaskDto task)
    {
        try
        {
            lock (_gate)
            {
                _count = 0;
                WriteCount(0);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogError(e, "Auto-training could not record the start of train task {Id}", task.Id);
        }
    }

    private void WriteCount(int count) =>
        AtomicFile.Write(options.Value.AutoTrainStatePath, stream => JsonSerializer.Serialize(stream, new JsonObject { [CountKey] = count }));

    /// <summary>The persisted count; a missing file is 0, an unreadable one too (said in the log: it only delays a training).</summary>
    private int ReadCount(string path)
    {
        if (!File.Exists(path)) return 0;
        try
        {
            return JsonNode.Parse(File.ReadAllText(path))?[CountKey]?.GetValue<int>() is int n && n >= 0 ? n : 0;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or IOException)
        {
            logger.LogWarning("Auto-training: {Path} is unreadable ({Problem}); counting from 0", path, e.Message);
            return 0;
        }
    }
}
