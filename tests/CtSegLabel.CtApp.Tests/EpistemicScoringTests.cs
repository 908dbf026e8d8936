using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Models;
using CtSegLabel.Models.Checkpoints;

namespace CtSegLabel.CtApp.Tests;

/// <summary>The epistemic scoring end to end on real files: tiny checkpoints in a models folder, phantom CTs as NIfTI,
/// the image info it writes, what it skips, how it refuses.</summary>
public sealed class EpistemicScoringTests : IDisposable
{
    private static readonly ComputeDevice Cpu = ComputeDevice.Choose("cpu", "fp32");

    private readonly TestDir _dir = new();
    private readonly ModelStore _store;

    public EpistemicScoringTests() => _store = new ModelStore(_dir.Sub("models"), Cpu);

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    private sealed class Lines : IProgress<string>
    {
        public List<string> All { get; } = [];

        public void Report(string value) => All.Add(value);
    }

    private string Phantom(string name, int seed, RangeKind range)
    {
        var phantom = PhantomGenerator.Generate(seed, 0, new PhantomOptions
        {
            Size = 48, Slices = 20, Range = range, Orientation = PhantomOrientation.Lps, Spacing = new Vec3(10, 10, 3.0),
        });
        string path = _dir.File(name + ".nii.gz");
        NiftiFile.Write(path, phantom.Ct);
        return path;
    }

    private MemoryDatastore Datastore()
    {
        string labeled = Phantom("labeled", 3, RangeKind.Thorax);
        return new MemoryDatastore()
            .Add("chest", Phantom("chest", 1, RangeKind.Thorax))
            .Add("belly", Phantom("belly", 2, RangeKind.AbdomenPelvis))
            .Add("labeled", labeled, ("final", labeled));
    }

    private string Checkpoint(string version = "v1") => Checkpoints.InitTiny(Path.Combine(_store.FolderOf("swinunetr_v2"), version + ".ctseg"));

    private Task<JsonObject> Score(IDatastoreView datastore, JsonObject? request = null, Lines? lines = null, CancellationToken cancellation = default) =>
        new EpistemicScoring(_store).ScoreAsync(request ?? new JsonObject { ["simulation_size"] = 3, ["max_windows"] = 1 }, datastore, lines ?? new Lines(), cancellation);

    [Fact]
    public async Task Scores_every_unlabeled_image_under_monai_labels_keys_and_skips_them_next_time()
    {
        string checkpoint = Checkpoint();
        var datastore = Datastore();
        var lines = new Lines();
        var result = await Score(datastore, lines: lines);
        Assert.Equal(3, result["total"]!.GetValue<int>() + 1); // the labeled image is not a candidate
        Assert.Equal(2, result["executed"]!.GetValue<int>());
        Assert.Equal(0, result["skipped"]!.GetValue<int>());

        long checkpointTs = new DateTimeOffset(File.GetLastWriteTimeUtc(checkpoint)).ToUnixTimeSeconds();
        foreach (string id in new[] { "chest", "belly" })
        {
            var info = datastore.ImageInfo(id);
            double entropy = info["epistemic_entropy"]!.GetValue<double>();
            double variance = info["epistemic_variance"]!.GetValue<double>();
            Assert.InRange(entropy, 1e-6, Math.Log(37));
            Assert.True(variance > 0, $"{id}: dropout at the trained rate spreads the passes");
            Assert.Equal(checkpointTs, info["epistemic_ts"]!.GetValue<long>());
            var details = info["epistemic"]!;
            Assert.Equal("swinunetr_v2", details["model"]!.GetValue<string>());
            Assert.Equal("v1.ctseg", details["checkpoint"]!.GetValue<string>());
            Assert.Equal(3, details["simulation_size"]!.GetValue<int>());
            Assert.Equal(1, details["windows"]!.GetValue<int>());
            Assert.True(details["windows_total"]!.GetValue<int>() >= 1);
            Assert.Equal(entropy, result["images"]![id]!["epistemic_entropy"]!.GetValue<double>());
        }
        Assert.False(datastore.ImageInfo("labeled").ContainsKey("epistemic_entropy"));
        Assert.Contains(lines.All, l => l.StartsWith("chest: window 1/", StringComparison.Ordinal));

        // Same checkpoint, same settings: nothing to do. Other settings: scored again.
        var again = await Score(datastore);
        Assert.Equal(0, again["executed"]!.GetValue<int>());
        Assert.Equal(2, again["skipped"]!.GetValue<int>());
        var more = await Score(datastore, new JsonObject { ["simulation_size"] = 2, ["max_samples"] = 1, ["max_windows"] = 1 });
        Assert.Equal(1, more["executed"]!.GetValue<int>());
        Assert.Equal(["belly"], more["images"]!.AsObject().Select(p => p.Key)); // max_samples takes them in id order
    }

    [Fact]
    public async Task Without_a_checkpoint_it_says_how_to_get_one_and_a_network_without_dropout_needs_a_rate()
    {
        var datastore = Datastore();
        var missing = await Assert.ThrowsAsync<ModelUnavailableException>(() => Score(datastore));
        Assert.Contains("ctseg model init", missing.Message);

        // A checkpoint of a network built with drop rate 0: every pass would be the same.
        var (network, metadata) = ModelCheckpoint.Load(Checkpoints.InitTiny(_dir.File("with-dropout.ctseg")));
        using (network)
        {
            var arch = (SwinUnetrV2Architecture)metadata.Architecture with { DropRate = 0 };
            using var plain = arch.Build();
            ModelCheckpoint.Save(Path.Combine(_store.FolderOf("swinunetr_v2"), "plain.ctseg"), plain, metadata);
        }
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Score(datastore));
        Assert.Contains("'dropout'", refused.Message);

        var forced = await Score(datastore, new JsonObject { ["simulation_size"] = 2, ["dropout"] = 0.3, ["max_windows"] = 1 });
        Assert.Equal(2, forced["executed"]!.GetValue<int>());
        var details = datastore.ImageInfo("chest")["epistemic"]!;
        Assert.Equal(0.3, details["dropout"]!.GetValue<double>());
        Assert.Equal(1, details["windows"]!.GetValue<int>());
        Assert.True(datastore.ImageInfo("chest")["epistemic_variance"]!.GetValue<double>() > 0);
    }

    [Fact]
    public async Task Bad_parameters_are_named_and_cancellation_stops_the_run()
    {
        Checkpoint();
        var datastore = Datastore();
        var passes = await Assert.ThrowsAsync<InferParameterException>(() => Score(datastore, new JsonObject { ["simulation_size"] = 1 }));
        Assert.Equal("simulation_size", passes.Key);
        var model = await Assert.ThrowsAsync<InferParameterException>(() => Score(datastore, new JsonObject { ["model"] = "nope" }));
        Assert.Equal("model", model.Key);
        var rate = await Assert.ThrowsAsync<InferParameterException>(() => Score(datastore, new JsonObject { ["dropout"] = "high" }));
        Assert.Equal("dropout", rate.Key);

        using var cancel = new CancellationTokenSource();
        var lines = new CancellingLines(cancel);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new EpistemicScoring(_store).ScoreAsync(new JsonObject { ["simulation_size"] = 2 }, datastore, lines, cancel.Token));
        Assert.False(datastore.ImageInfo("belly").ContainsKey("epistemic_entropy")); // stopped before the first image was stored
    }

    [Theory]
    [InlineData(0, 5, new[] { 0, 1, 2, 3, 4 })]
    [InlineData(4, 3, new[] { 0, 1, 2 })]
    [InlineData(3, 9, new[] { 0, 4, 8 })]
    [InlineData(4, 10, new[] { 0, 3, 6, 9 })]
    [InlineData(1, 7, new[] { 3 })]
    public void Windows_are_subsampled_evenly_from_top_to_bottom(int maxWindows, int total, int[] expected) =>
        Assert.Equal(expected, new EpistemicOptions { Model = "m", MaxWindows = maxWindows }.WindowIndices(total));

    /// <summary>Cancels the run when it has said what it will score (the passes themselves stop on cancellation too:
    /// <see cref="MonteCarloDropoutTests"/>).</summary>
    private sealed class CancellingLines(CancellationTokenSource cancel) : IProgress<string>
    {
        public void Report(string value)
        {
            if (value.StartsWith("Epistemic (", StringComparison.Ordinal)) cancel.Cancel();
        }
    }
}
