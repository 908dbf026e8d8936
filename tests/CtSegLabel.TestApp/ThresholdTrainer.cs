using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.TestApp;

/// <summary>
/// Trains <see cref="ThresholdBonesTask"/>: loads every image with a final label, splits them by image
/// into training and validation voxels, fine-tunes the current thresholds with <see cref="ThresholdFit"/>,
/// keeps the best epoch's thresholds as the model file and publishes MONAI Label–style statistics
/// (epoch, total_epochs, best_metric, ...) after every epoch.
/// </summary>
public sealed class ThresholdTrainer : ITrainTask
{
    private readonly string _modelPath;
    private readonly string _statsPath;
    private readonly object _gate = new();
    private JsonObject _stats;

    public ThresholdTrainer(string modelPath, string statsPath)
    {
        _modelPath = modelPath;
        _statsPath = statsPath;
        _stats = LoadStats(statsPath);
    }

    public string Name => ThresholdBonesTask.TaskName;

    public string Description => "Fit the bone and lung HU thresholds to the submitted (final) labels";

    public JsonObject Config => new()
    {
        ["max_epochs"] = 40,
        ["iterations_per_epoch"] = 200,
        ["batch_size"] = 4096,
        ["learning_rate"] = 5.0,
        ["temperature_hu"] = 40.0,
        ["val_split"] = 0.2,
        ["max_voxels"] = 4_000_000,
        ["seed"] = 0,
        ["device"] = new JsonArray("cpu"),
    };

    public JsonObject Stats()
    {
        lock (_gate) return (JsonObject)_stats.DeepClone();
    }

    public Task<JsonObject> TrainAsync(TrainRequest request, IDatastoreView datastore, IProgress<string> progress, CancellationToken cancellation) =>
        Task.Run(() => Train(request.Params, datastore, progress, cancellation), cancellation);

    private JsonObject Train(JsonObject p, IDatastoreView datastore, IProgress<string> progress, CancellationToken ct)
    {
        var options = new FitOptions(
            Positive(p, "max_epochs", 40), Positive(p, "iterations_per_epoch", 200), Positive(p, "batch_size", 4096),
            Number(p, "learning_rate", 5.0), Number(p, "temperature_hu", 40.0), (int)Number(p, "seed", 0));
        double valSplit = Math.Clamp(Number(p, "val_split", 0.2), 0, 0.9);
        int maxVoxels = Positive(p, "max_voxels", 4_000_000);

        var ids = datastore.LabeledImages(IDatastoreView.FinalTag).ToList();
        if (ids.Count == 0) throw new InvalidOperationException("no image has a 'final' label: nothing to train on");
        var rng = new Random(options.Seed);
        ids = ids.OrderBy(_ => rng.Next()).ToList();
        int validationCount = ids.Count > 1 ? Math.Max(1, (int)Math.Round(ids.Count * valSplit)) : 0;
        progress.Report($"Loading {ids.Count} labeled image(s): {ids.Count - validationCount} for training, " +
            (validationCount == 0 ? "the same for validation (only one image)" : $"{validationCount} for validation"));

        var start = ThresholdParameters.Load(_modelPath);
        int perImage = Math.Max(1, maxVoxels / ids.Count);
        var train = new VoxelSample();
        var validation = validationCount == 0 ? train : new VoxelSample();
        for (int n = 0; n < ids.Count; n++)
        {
            ct.ThrowIfCancellationRequested();
            Load(datastore, ids[n], n < validationCount ? validation : train, start.BodyAirHu, perImage, progress, ct);
        }
        train.Seal();
        if (!ReferenceEquals(validation, train)) validation.Seal();
        if (train.Count == 0) throw new InvalidOperationException("no usable training voxels (every labeled image was skipped)");
        if (!train.Has(ThresholdSegmenter.Bone) && !train.Has(ThresholdSegmenter.Lung))
            throw new InvalidOperationException($"the final labels hold no bone ({ThresholdSegmenter.Bone}) or lung ({ThresholdSegmenter.Lung}) voxels");

        var clock = Stopwatch.StartNew();
        long startTs = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        double best = -1;
        int bestEpoch = 0;
        JsonObject stats = [];
        ThresholdFit.Run(train, validation, start, options, e =>
        {
            if (e.Metric > best)
            {
                best = e.Metric;
                bestEpoch = e.Epoch;
                (start with { BoneMinHu = e.BoneMinHu, LungMaxHu = e.LungMaxHu, TrainedEpoch = e.Epoch, BestMetric = e.Metric }).Save(_modelPath);
            }
            stats = EpochStats(e, options, startTs, best, bestEpoch, clock.Elapsed, final: e.Epoch == options.Epochs);
            Publish(stats);
            progress.Report(string.Create(CultureInfo.InvariantCulture,
                $"Epoch {e.Epoch}/{options.Epochs}: loss {e.Loss:F4}, bone > {e.BoneMinHu:F1} HU, lung < {e.LungMaxHu:F1} HU, " +
                $"validation Dice {e.Metric:F4} (best {best:F4} at epoch {bestEpoch})"));
        }, ct);
        return stats;
    }

    private static void Load(IDatastoreView datastore, string id, VoxelSample into, double bodyAirHu, int budget, IProgress<string> progress, CancellationToken ct)
    {
        string? labelPath = datastore.LabelPath(id, IDatastoreView.FinalTag);
        if (labelPath is null) return;
        var image = VolumeFile.Read(datastore.ImagePath(id));
        var label = VolumeFile.Read(labelPath);
        if (image.Shape != label.Shape)
        {
            progress.Report($"{id}: skipped, label shape {label.Shape} differs from image shape {image.Shape}");
            return;
        }
        float[] hu = ThresholdSegmenter.Hounsfield(image);
        bool[] enclosed = ThresholdSegmenter.EnclosedAir(hu, image.Shape, bodyAirHu, ct);
        byte[] y = label is Volume<byte> b ? b.Data : label.ConvertTo<byte>().Data;
        long stride = Math.Max(1, (hu.LongLength + budget - 1) / budget);
        for (long n = 0; n < hu.LongLength; n += stride) into.Add(hu[n], y[n], enclosed[n]);
        progress.Report($"{id}: {image.Shape} voxels, every {stride}. taken");
    }

    private static JsonObject EpochStats(EpochResult e, FitOptions o, long startTs, double best, int bestEpoch, TimeSpan elapsed, bool final)
    {
        var dice = new JsonObject();
        foreach (var (name, value) in e.Dice) dice[name] = Math.Round(value, 6);
        var stats = new JsonObject
        {
            ["epoch"] = e.Epoch,
            ["total_epochs"] = o.Epochs,
            ["best_metric"] = Math.Round(best, 6),
            ["best_validation_epoch"] = bestEpoch,
            ["best_validation_metric"] = Math.Round(best, 6),
            ["current_epoch"] = e.Epoch,
            ["current_iteration"] = e.Epoch * o.IterationsPerEpoch,
            ["total_iterations"] = o.Epochs * o.IterationsPerEpoch,
            ["rank"] = 0,
            ["start_ts"] = startTs,
            ["train"] = new JsonObject { ["loss"] = Math.Round(e.Loss, 6), ["bone_min_hu"] = Math.Round(e.BoneMinHu, 2), ["lung_max_hu"] = Math.Round(e.LungMaxHu, 2) },
            ["eval"] = new JsonObject { ["mean_dice"] = Math.Round(e.Metric, 6), ["dice"] = dice },
        };
        stats[final ? "total_time" : "current_time"] = elapsed.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture);
        return stats;
    }

    private void Publish(JsonObject stats)
    {
        lock (_gate) _stats = (JsonObject)stats.DeepClone();
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(stats, new JsonSerializerOptions { WriteIndented = true });
        AtomicFile.Write(_statsPath, s => s.Write(json));
    }

    private static JsonObject LoadStats(string path)
    {
        try
        {
            return File.Exists(path) && JsonNode.Parse(File.ReadAllBytes(path)) is JsonObject o ? o : [];
        }
        catch (JsonException)
        {
            return []; // a damaged stats file only means "no statistics yet"
        }
    }

    private static int Positive(JsonObject p, string key, int fallback)
    {
        double v = Number(p, key, fallback);
        if (v < 1 || v != Math.Floor(v)) throw new ArgumentException($"{key} must be a positive integer, got {p[key]?.ToJsonString()}");
        return (int)v;
    }

    private static double Number(JsonObject p, string key, double fallback) => p[key] switch
    {
        null => fallback,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue(out string? s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => d,
        var other => throw new ArgumentException($"{key} must be a number, got {other.ToJsonString()}"),
    };
}
