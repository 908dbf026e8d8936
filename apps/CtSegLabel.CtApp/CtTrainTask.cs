using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Training;
using CtSegLabel.Training.Augmentation;

namespace CtSegLabel.CtApp;

/// <summary>
/// <c>POST /train/{model}</c> for a CT model: fine-tunes the model's current version on the datastore's <c>final</c>
/// labels (thesis §3.6 recipe, <see cref="Trainer"/>) and publishes the best checkpoint as the model's next version,
/// which <c>/infer</c> serves from its next request on. The run lives in <c>models/&lt;model&gt;/runs/&lt;name&gt;</c>: a
/// stopped run resumes there when started again with the same name and the same labels; a finished one is kept
/// there under the version's name (curve, state) and the next run starts fresh.
/// </summary>
public sealed class CtTrainTask(ModelStore store, string model, string architecture, string description) : ITrainTask
{
    private readonly Lock _lock = new();
    private JsonObject _stats = [];

    public string Name => model;

    public string Description => description;

    public JsonObject Config => CtTrainOptions.Config();

    public JsonObject Stats()
    {
        lock (_lock) return (JsonObject)_stats.DeepClone();
    }

    public async Task<JsonObject> TrainAsync(TrainRequest request, IDatastoreView datastore, IProgress<string> progress,
        CancellationToken cancellation)
    {
        var options = CtTrainOptions.FromParams(request.Params);
        var current = store.Current(model)
            ?? throw new ModelUnavailableException(model, ModelInstructions.NoCheckpoint(model, architecture, store.FolderOf(model)));
        string runs = Path.Combine(store.FolderOf(model), "runs");
        string run = Path.Combine(runs, options.Name);

        var cases = await Task.Run(() => TrainingLabels.Prepare(datastore, Path.Combine(run, "labels"), progress, cancellation), cancellation);
        if (cases.Count == 0)
            throw new InvalidOperationException($"no image has a readable '{IDatastoreView.FinalTag}' label: submit corrected labels first");

        // The run starts from its own copy of the version it began with: publishing a stopped run's best changes the
        // current version, and a resumed run must still be the same plan (same initial weights) to continue.
        string initial = Path.Combine(run, "initial.ctseg");
        var plan = new TrainingPlan(cases, initial, run, options.Training, store.Device,
            options.Augment ? new BlockAugmenter(AugmentationOptions.Thesis).AsTransform() : null);
        // The version the run began with ("" for fresh weights), for the published version's record.
        string parentFile = Path.Combine(run, "parent");
        string parent;
        if (Trainer.CanResume(plan))
        {
            parent = File.Exists(parentFile) ? File.ReadAllText(parentFile).Trim() : current.FileName;
            progress.Report($"resuming run '{options.Name}' where it stopped");
        }
        else
        {
            if (options.Pretrained) AtomicFile.Write(initial, target => { using var source = File.OpenRead(current.Path); source.CopyTo(target); });
            else InitialWeights.Fresh(current.Path, initial, options.Training.Seed);
            parent = options.Pretrained ? current.FileName : "";
            AtomicFile.Write(parentFile, target => target.Write(System.Text.Encoding.UTF8.GetBytes(parent)));
            plan = plan with { Options = plan.Options with { Resume = false } };
        }
        var clock = Stopwatch.StartNew();
        SetStats(new JsonObject { ["name"] = options.Name, ["total_epochs"] = options.Training.MaxEpochs, ["epoch"] = 0, ["images"] = cases.Count });
        progress.Report($"fine-tuning {model} from {(parent.Length > 0 ? parent : "fresh weights")} on {cases.Count} labeled images, run '{options.Name}'");

        TrainingOutcome outcome;
        try
        {
            outcome = await Task.Run(() => Trainer.RunAsync(plan, new Progress(this, progress, clock), cancellation), CancellationToken.None);
        }
        finally
        {
            // A training run's MKL buffers and freed tensors would otherwise stay resident in a long-running server.
            NativeHeap.ReleaseAfterRun();
        }

        JsonObject result = Summary(outcome, clock.Elapsed);
        // Without validation (val_split 0 and several images) a finished run has no best: its last weights are the result.
        if ((outcome.BestCheckpoint ?? (outcome.Stopped ? null : outcome.LastCheckpoint)) is { } best)
        {
            var version = store.Publish(model, best, Record(parent, outcome, cases, datastore, request.Params));
            result["version"] = version.FileName;
            result["model_version"] = version.Metadata.ModelVersion;
            progress.Report(outcome.BestDice is { } dice
                ? $"published {version.FileName} (best validation Dice {dice:F4} at epoch {outcome.BestEpoch}); /infer serves it now"
                : $"published {version.FileName} (the last weights: no validation ran); /infer serves it now");
            if (!outcome.Stopped) KeepRun(run, Path.Combine(runs, Path.GetFileNameWithoutExtension(version.FileName)));
        }
        SetStats(result);
        if (outcome.Stopped) throw new OperationCanceledException($"training stopped after epoch {outcome.EpochsRun}; '{options.Name}' resumes from its last checkpoint");
        return result;
    }

    private static JsonObject Summary(TrainingOutcome outcome, TimeSpan elapsed) => new()
    {
        ["best_metric"] = Finite(outcome.BestDice ?? 0),
        ["best_epoch"] = outcome.BestEpoch,
        ["epoch"] = outcome.EpochsRun,
        ["total_epochs"] = outcome.History.Count > 0 ? Math.Max(outcome.EpochsRun, outcome.History[^1].Epoch) : outcome.EpochsRun,
        ["steps"] = outcome.Steps,
        ["train_loss"] = outcome.History.Count > 0 ? Finite(outcome.History[^1].TrainLoss) : null,
        ["total_time"] = $"{elapsed.TotalSeconds:F1} s",
        ["stopped"] = outcome.Stopped,
        ["images"] = outcome.CaseIds.Count + outcome.ValidationIds.Count,
    };

    /// <summary>What the version's sidecar keeps: where it came from, how it scored, and exactly which labels (by their
    /// datastore time stamps) it learned from — so a team can tell which corrections a version has seen.</summary>
    private static VersionRecord Record(string parent, TrainingOutcome outcome,
        IReadOnlyList<TrainingCase> cases, IDatastoreView datastore, JsonObject parameters)
    {
        var metrics = new JsonObject
        {
            ["best_dice"] = outcome.BestDice is { } d ? Finite(d) : null,
            ["best_epoch"] = outcome.BestEpoch,
            ["epochs"] = outcome.EpochsRun,
            ["steps"] = outcome.Steps,
            ["stopped"] = outcome.Stopped,
            ["train_loss"] = outcome.History.Count > 0 ? Finite(outcome.History[^1].TrainLoss) : null,
            ["validation_images"] = new JsonArray(outcome.ValidationIds.Select(id => (JsonNode?)id).ToArray()),
        };
        var labels = cases.Select(c =>
        {
            var info = datastore.LabelInfo(c.Id, IDatastoreView.FinalTag);
            long? ts = info["ts"] is JsonValue t && t.TryGetValue(out long v) ? v : null;
            string? checksum = info["checksum"] is JsonValue h && h.TryGetValue(out string? x) ? x : null;
            return new SeenLabel(c.Id, IDatastoreView.FinalTag, checksum, ts);
        }).ToList();
        return new VersionRecord
        {
            Source = parent.Length > 0 ? VersionRecord.FineTune : VersionRecord.Training,
            Parent = parent.Length > 0 ? parent : null,
            Metrics = metrics,
            Labels = labels,
            Params = (JsonObject)parameters.DeepClone(),
        };
    }

    /// <summary>A finished run's folder moves aside under its version's name, so the next fine-tune (new labels) starts
    /// a fresh run while the curve and state of this one stay beside the version they made.</summary>
    private static void KeepRun(string run, string target)
    {
        if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
        Directory.Move(run, target);
    }

    /// <summary>A number JSON can hold: a loss before the first step (or a diverged one) is NaN, which would make
    /// every <c>/info/</c> fail to serialise.</summary>
    private static JsonNode? Finite(double value) => double.IsFinite(value) ? Math.Round(value, 5) : null;

    private void SetStats(JsonObject stats)
    {
        lock (_lock) _stats = stats;
    }

    /// <summary>Trainer progress → Slicer's train stats (it shows <c>best_metric</c>, <c>epoch</c>, <c>total_epochs</c>)
    /// and the task's detail lines.</summary>
    private sealed class Progress(CtTrainTask task, IProgress<string> lines, Stopwatch clock) : IProgress<TrainingProgress>
    {
        private (int Epoch, double? Dice) _lastReported = (-1, null);

        public void Report(TrainingProgress p)
        {
            var stats = task.Stats();
            stats["epoch"] = p.Epoch;
            stats["total_epochs"] = p.TotalEpochs;
            stats["step"] = p.Step;
            stats["train_loss"] = Finite(p.Loss);
            if (p.BestDice is { } best) stats["best_metric"] = Finite(best);
            if (p.LastDice is { } last) stats["val_dice"] = Finite(last);
            stats["eta_seconds"] = p.Eta is { } eta ? Math.Round(eta.TotalSeconds) : null;
            stats["total_time"] = $"{clock.Elapsed.TotalSeconds:F1} s";
            task.SetStats(stats);
            // One detail line per optimizer step would flood the task's details: every validation and epoch change.
            if ((p.Epoch, p.LastDice) != _lastReported)
            {
                _lastReported = (p.Epoch, p.LastDice);
                // Slicer shows the task's details as they come: each line says where the run stands.
                lines.Report(string.Create(CultureInfo.InvariantCulture,
                    $"{p.Message}{(p.BestDice is { } b ? $"; best Dice {b:F4}" : "")}{(p.Eta is { } e ? $"; ETA {e.TotalMinutes:F1} min" : "")}"));
            }
        }
    }
}
