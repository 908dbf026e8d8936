using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.AppContract.Builtin;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Inference.Pipeline;
using CtSegLabel.Models;

namespace CtSegLabel.CtApp;

/// <summary>
/// MONAI Label's "epistemic" scoring for the CT networks: every unlabeled image through the current checkpoint of a
/// model with Monte Carlo dropout (<see cref="MonteCarloDropout"/>), over the windows inference sweeps, and the mean
/// uncertainty per voxel written into the image info under MONAI Label's keys — <c>epistemic_entropy</c> (what the
/// epistemic strategy ranks by) and <c>epistemic_ts</c> (the checkpoint file's write time) — plus
/// <c>epistemic_variance</c> and an <c>epistemic</c> object naming the model version and settings. An image already
/// scored with the same checkpoint and settings is skipped, as in MONAI Label.
/// <para>The scoring loads its own copy of the network (switching dropout on in the copy <c>/infer</c> shares would
/// make concurrent inference stochastic); it is freed when the run ends.</para>
/// </summary>
public sealed class EpistemicScoring(ModelStore store) : IScoringMethod
{
    public const string EntropyKey = EpistemicStrategy.ScoreKey;
    public const string VarianceKey = "epistemic_variance";
    public const string TimestampKey = "epistemic_ts";
    public const string DetailsKey = "epistemic";

    private static IReadOnlyList<string> ModelNames => CtSegmentationApp.Models.Select(m => m.Name).ToList();

    public string Name => "epistemic";

    public string Description => "Epistemic uncertainty of the unlabeled images by Monte Carlo dropout (N stochastic passes per window)";

    public JsonObject Config => EpistemicOptions.Config(ModelNames, store.Device.IsCuda);

    public Task<JsonObject> ScoreAsync(JsonObject request, IDatastoreView datastore, IProgress<string> progress, CancellationToken cancellation)
    {
        var options = EpistemicOptions.FromRequest(request, ModelNames, store.Device.IsCuda);
        return Task.Run(() => Score(options, datastore, progress, cancellation), cancellation);
    }

    private async Task<JsonObject> Score(EpistemicOptions options, IDatastoreView datastore, IProgress<string> progress, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        using var lease = LoadExclusive(options.Model);
        var model = lease.Model;
        var settings = CheckpointSettings.For(model, new CtInferOptions()).Preprocessing;
        if (options.Dropout > 0) MonteCarloDropout.SetRate(model.Network, options.Dropout);
        if (!MonteCarloDropout.Samples(model.Network))
            throw new InvalidOperationException(
                $"the checkpoint {model.Version.FileName} of '{options.Model}' has no dropout (all its rates are 0), so every pass " +
                $"would be the same and every image would score 0; set '{EpistemicOptions.DropoutKey}' to a rate such as 0.2 to sample anyway");

        long modelTs = new DateTimeOffset(model.Version.WriteTimeUtc).ToUnixTimeSeconds();
        var stamp = Details(options, model.Version);
        var unlabeled = datastore.UnlabeledImages();
        var todo = unlabeled.Where(id => !AlreadyScored(datastore.ImageInfo(id), modelTs, stamp)).ToList();
        int skipped = unlabeled.Count - todo.Count;
        if (options.MaxSamples > 0) todo = todo.Take(options.MaxSamples).ToList();
        progress.Report($"Epistemic ({options.Model} {model.Version.FileName}, {options.Passes} passes, " +
                        $"dropout {(options.Dropout > 0 ? options.Dropout.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) : "as trained")}): " +
                        $"{unlabeled.Count} unlabeled image(s), {skipped} already scored, {todo.Count} to score");

        var images = new JsonObject();
        foreach (string id in todo)
        {
            cancellation.ThrowIfCancellationRequested();
            string path;
            try
            {
                path = datastore.ImagePath(id);
            }
            catch (KeyNotFoundException)
            {
                continue; // removed while scoring
            }
            var imageClock = Stopwatch.StartNew();
            var pre = Preprocessing.Run(VolumeFile.Read(path), settings);
            if (pre is null)
            {
                progress.Report($"{id}: no voxel above {settings.BodyThresholdHu} HU (no body): not scored");
                continue;
            }

            var starts = SlidingWindows.Starts(pre.Model.Shape.Z, settings.BlockSlices, settings.WindowOverlap);
            var chosen = options.WindowIndices(starts.Length);
            float padding = Preprocessing.Intensity(SegmentationPipeline.PaddingHu, settings);
            var sums = default(UncertaintySums);
            for (int w = 0; w < chosen.Length; w++)
            {
                int start = starts[chosen[w]];
                var block = SlidingWindows.Block(pre.Model, start, settings.BlockSlices, padding);
                int real = SlidingWindows.RealSlices(start, settings.BlockSlices, pre.Model.Shape.Z);
                sums += MonteCarloDropout.Measure(model.Network, model.Device, block, real, options.Passes, cancellation: cancellation);
                progress.Report($"{id}: window {w + 1}/{chosen.Length} ({options.Passes} passes)");
            }

            var details = (JsonObject)stamp.DeepClone();
            details["windows"] = chosen.Length;
            details["windows_total"] = starts.Length;
            details["seconds"] = Math.Round(imageClock.Elapsed.TotalSeconds, 3);
            details["scored_ts"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var info = new JsonObject
            {
                [EntropyKey] = sums.MeanEntropy,
                [VarianceKey] = sums.MeanVariance,
                [TimestampKey] = modelTs,
                [DetailsKey] = details,
            };
            try
            {
                await datastore.UpdateImageInfoAsync(id, info, cancellation);
            }
            catch (KeyNotFoundException)
            {
                continue;
            }
            images[id] = new JsonObject { [EntropyKey] = sums.MeanEntropy, [VarianceKey] = sums.MeanVariance };
            progress.Report($"{id}: entropy {sums.MeanEntropy:G5}, variance {sums.MeanVariance:G5} over {chosen.Length}/{starts.Length} window(s)");
        }

        return new JsonObject
        {
            ["total"] = unlabeled.Count,
            ["skipped"] = skipped,
            ["executed"] = images.Count,
            ["latency"] = Math.Round(clock.Elapsed.TotalSeconds, 3),
            ["model"] = options.Model,
            ["model_version"] = model.Version.Metadata.ModelVersion,
            ["images"] = images,
        };
    }

    /// <summary>The scoring's own copy of the current checkpoint's network, or a refusal that says how to get one.</summary>
    private ModelLease LoadExclusive(string name)
    {
        string architecture = CtSegmentationApp.Models.First(m => m.Name == name).Architecture;
        try
        {
            var version = store.Current(name)
                ?? throw new ModelUnavailableException(name, ModelInstructions.NoCheckpoint(name, architecture, store.FolderOf(name)));
            if (version.Metadata.Architecture.Name != architecture)
                throw new ModelFormatException(version.Path, "architecture",
                    $"is {version.Metadata.Architecture.Name}, but the model '{name}' runs {architecture} checkpoints");
            return LoadedModel.LoadExclusive(version, store.Device);
        }
        catch (ModelFormatException e)
        {
            throw new ModelUnavailableException(name, ModelInstructions.Unusable(name, store.FolderOf(name), e.Message), e);
        }
    }

    /// <summary>What makes two scores comparable: the checkpoint and the sampling settings.</summary>
    private static JsonObject Details(EpistemicOptions options, ModelVersion version) => new()
    {
        ["model"] = options.Model,
        ["model_version"] = version.Metadata.ModelVersion,
        ["checkpoint"] = version.FileName,
        [EpistemicOptions.PassesKey] = options.Passes,
        [EpistemicOptions.DropoutKey] = options.Dropout,
        [EpistemicOptions.MaxWindowsKey] = options.MaxWindows,
    };

    private static bool AlreadyScored(JsonObject info, long modelTs, JsonObject stamp)
    {
        if (info[TimestampKey] is not JsonValue ts || ts.GetValueKind() != JsonValueKind.Number || !ts.TryGetValue(out long seen) || seen != modelTs)
            return false;
        if (info[DetailsKey] is not JsonObject details) return false;
        return stamp.All(p => JsonNode.DeepEquals(p.Value, details[p.Key]));
    }
}
