using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Models;
using CtSegLabel.Models.Checkpoints;

namespace CtSegLabel.CtApp.Tests;

/// <summary>Published versions: numbering, sidecars, the current pointer, rollback, and what results and leases see.</summary>
public class ModelVersionTests(PhantomCt phantom) : IClassFixture<PhantomCt>
{
    private static readonly ComputeDevice Cpu = ComputeDevice.Choose("cpu", "fp32");
    private const string Model = CtSegmentationApp.SwinUnetrV2Model;

    private static VersionRecord FineTune(string? parent, double dice) => new()
    {
        Source = VersionRecord.FineTune,
        Parent = parent,
        Metrics = new JsonObject { ["best_dice"] = dice, ["epochs"] = 3, ["stopped"] = false },
        Labels = [new SeenLabel("chest", "final", Checksum: "SHA256:ab12"), new SeenLabel("belly", "final", Timestamp: 1_750_000_000)],
        Params = new JsonObject { ["max_epochs"] = 3 },
    };

    private static float First(TorchSharp.torch.Tensor weights)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        return weights.flatten()[0].item<float>();
    }

    private static Task<InferResult> Infer(CtSegmentationApp app, Imaging.Volumes.Volume image) =>
        app.InferTasks.Single(t => t.Name == Model).InferAsync(new InferRequest(Model, null, new JsonObject { ["statistics"] = false }), image, CancellationToken.None);

    [Fact]
    public async Task Publishing_twice_makes_two_versions_the_newest_current_and_results_name_it()
    {
        using var dir = new TestDir();
        using var app = new CtSegmentationApp(new AppEnvironment(dir.Path, dir.Path), Cpu);
        string trained = Checkpoints.InitTiny(dir.File("out/first.ctseg"), seed: 1);
        string again = Checkpoints.InitTiny(dir.File("out/second.ctseg"), seed: 2);

        var v1 = app.Store.Publish(Model, trained, new VersionRecord { Source = VersionRecord.Training });
        var v2 = app.Store.Publish(Model, again, FineTune("v1.ctseg", 0.42));

        string folder = app.Store.FolderOf(Model);
        Assert.Equal(Path.Combine(folder, "v1.ctseg"), v1.Path);
        Assert.Equal(Path.Combine(folder, "v2.ctseg"), v2.Path);
        Assert.Equal("v2.ctseg\n", File.ReadAllText(Path.Combine(folder, ModelStore.CurrentFileName)));
        Assert.Equal(["v2.ctseg", "v1.ctseg"], app.Store.Versions(Model).Select(v => v.FileName));
        Assert.Equal(v2.Path, app.Store.Current(Model)!.Path);
        // Only the versions and their sidecars: no temporary left behind, the sources untouched.
        Assert.Equal(["current", "v1.ctseg", "v1.json", "v2.ctseg", "v2.json"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.True(File.Exists(trained) && File.Exists(again));

        // The file itself says which published version it is; the weights are the source's, byte for byte.
        Assert.Equal("0.0.0-untrained+v2", ModelCheckpoint.ReadMetadata(v2.Path).ModelVersion);
        Assert.Equal(2, v2.Metadata.Provenance.Seed);
        byte[] sourceBytes = File.ReadAllBytes(again), publishedBytes = File.ReadAllBytes(v2.Path);
        Assert.Equal(sourceBytes.AsSpan(sourceBytes.Length - 4096).ToArray(), publishedBytes.AsSpan(publishedBytes.Length - 4096).ToArray());

        // The sidecar, read back from disk by a fresh store.
        using (var fresh = new ModelStore(dir.Path, Cpu))
        {
            var record = fresh.Versions(Model).Single(v => v.FileName == "v2.ctseg").Record!;
            Assert.Equal(VersionRecord.FineTune, record.Source);
            Assert.Equal("v1.ctseg", record.Parent);
            Assert.Equal(0.42, record.Metrics["best_dice"]!.GetValue<double>());
            Assert.Equal("0.0.0-untrained+v2", record.ModelVersion);
            Assert.Equal(new SeenLabel("chest", "final", "SHA256:ab12"), record.Labels[0]);
            Assert.Equal(1_750_000_000, record.Labels[1].Timestamp);
            Assert.Equal(3, record.Params["max_epochs"]!.GetValue<int>());
            Assert.True(record.CreatedUtc > DateTimeOffset.UtcNow.AddMinutes(-5));
        }
        var sidecar = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "v2.json")))!.AsObject();
        Assert.Equal("fine-tune", sidecar["source"]!.GetValue<string>());
        Assert.Equal("chest", sidecar["labels"]![0]!["image"]!.GetValue<string>());

        var result = await Infer(app, phantom.Ct);
        Assert.Equal("v2.ctseg", result.Params["checkpoint"]!.GetValue<string>());
        Assert.Equal("0.0.0-untrained+v2", result.Params["model_version"]!.GetValue<string>());

        // Rollback: the next request runs v1, no restart.
        Assert.Equal(v1.Path, app.Store.Rollback(Model, "v1").Path);
        Assert.Equal("v1.ctseg\n", File.ReadAllText(Path.Combine(folder, ModelStore.CurrentFileName)));
        var rolledBack = await Infer(app, phantom.Ct);
        Assert.Equal("v1.ctseg", rolledBack.Params["checkpoint"]!.GetValue<string>());
        Assert.Equal("0.0.0-untrained+v1", rolledBack.Params["model_version"]!.GetValue<string>());
    }

    [Fact]
    public void A_lease_taken_before_publishing_keeps_running_the_old_network()
    {
        using var dir = new TestDir();
        using var store = new ModelStore(dir.Path, Cpu);
        store.Publish(Model, Checkpoints.InitTiny(dir.File("a.ctseg"), seed: 1), new VersionRecord { Source = VersionRecord.Import });
        var before = store.Acquire(Model, Precision.Float32)!;
        var oldModel = before.Model;
        var oldWeight = oldModel.Network.parameters().First();
        float oldValue = First(oldWeight);

        store.Publish(Model, Checkpoints.InitTiny(dir.File("b.ctseg"), seed: 2), FineTune("v1.ctseg", 0.5));
        using var after = store.Acquire(Model, Precision.Float32)!;
        Assert.Equal("v2.ctseg", after.Model.Version.FileName);
        Assert.NotEqual(oldValue, First(after.Model.Network.parameters().First()));

        // The old request is not disturbed: same network, same weights, still runs.
        Assert.Equal("v1.ctseg", before.Model.Version.FileName);
        Assert.False(oldWeight.IsInvalid);
        Assert.Equal(oldValue, First(oldWeight));
        using (var predictor = new TorchWindowPredictor(oldModel.Network, Cpu, lifetime: before))
            Assert.Single(predictor.Predict([TinyWindows.Window(1)], false, CancellationToken.None));
        Assert.True(oldWeight.IsInvalid); // the last holder let go: freed
        Assert.False(after.Model.Network.parameters().First().IsInvalid);
    }

    [Fact]
    public void Numbers_continue_past_hand_copied_and_retired_files_and_old_checkpoints_stay_versions()
    {
        using var dir = new TestDir();
        using var store = new ModelStore(dir.Path, Cpu);
        string folder = store.FolderOf(Model);
        // An old folder: a checkpoint copied in by hand (no sidecar), and a retired v3 whose sidecar stayed.
        Checkpoints.InitTiny(Path.Combine(folder, "good.ctseg"), seed: 1);
        File.WriteAllText(Path.Combine(folder, "v3.ctseg.1700000000.deleted"), "retired");
        File.WriteAllText(Path.Combine(folder, "v3.json"), "{\"source\": \"training\"}");

        var old = Assert.Single(store.Versions(Model));
        Assert.Null(old.Record);
        Assert.Equal("init", old.Source);
        Assert.Equal(old.Metadata.CreatedUtc, old.CreatedUtc);

        var published = store.Publish(Model, Checkpoints.InitTiny(dir.File("new.ctseg"), seed: 2), new VersionRecord { Source = VersionRecord.Upload });
        Assert.Equal("v4.ctseg", published.FileName);
        Assert.Equal(VersionRecord.Upload, published.Record!.Source);
        Assert.Equal(["v4.ctseg", "good.ctseg"], store.Versions(Model).Select(v => v.FileName));
        Assert.Equal("good.ctseg", store.Rollback(Model, "good.ctseg").FileName);
        Assert.Equal("good.ctseg", store.Current(Model)!.FileName);
    }

    [Fact]
    public void Refusals_name_what_is_wrong_and_change_nothing()
    {
        using var dir = new TestDir();
        using var store = new ModelStore(dir.Path, Cpu);
        string folder = store.FolderOf(Model);
        string notCheckpoint = dir.File("weights.pt");
        File.WriteAllText(notCheckpoint, "pickle bytes");
        var bad = Assert.Throws<ModelFormatException>(() => store.Publish(Model, notCheckpoint, new VersionRecord { Source = VersionRecord.Upload }));
        Assert.Contains(notCheckpoint, bad.Message);
        Assert.False(Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any());

        string good = Checkpoints.InitTiny(dir.File("good.ctseg"));
        Assert.Contains("'guess'", Assert.Throws<ArgumentException>(() => store.Publish(Model, good, new VersionRecord { Source = "guess" })).Message);
        Assert.Throws<ArgumentException>(() => store.Publish("../elsewhere", good, new VersionRecord { Source = VersionRecord.Upload }));

        var none = Assert.Throws<ModelVersionNotFoundException>(() => store.Rollback(Model, "v1"));
        Assert.Contains("has no versions", none.Message);
        store.Publish(Model, good, new VersionRecord { Source = VersionRecord.Import });
        store.Publish(Model, good, new VersionRecord { Source = VersionRecord.Import });
        var unknown = Assert.Throws<ModelVersionNotFoundException>(() => store.Rollback(Model, "v7"));
        Assert.Contains("'v7'", unknown.Message);
        Assert.Contains("v2.ctseg, v1.ctseg", unknown.Message);
        Assert.Throws<ModelVersionNotFoundException>(() => store.Rollback(Model, "../" + Model + "/v1.ctseg"));
        Assert.Equal("v2.ctseg", store.Current(Model)!.FileName);

        File.WriteAllText(Path.Combine(folder, "v2.json"), "{\"source\": ");
        var sidecar = Assert.Throws<ModelFormatException>(() => store.Versions(Model));
        Assert.Contains(Path.Combine(folder, "v2.json"), sidecar.Message);
    }

    [Fact]
    public void The_app_lists_sets_and_adds_versions_through_the_contract()
    {
        using var dir = new TestDir();
        using var app = new CtSegmentationApp(new AppEnvironment(dir.Path, dir.Path), Cpu);
        IModelVersions versions = app;
        Assert.Empty(versions.ListVersions(Model));
        Assert.Contains("slice_transformer", Assert.Throws<ModelVersionNotFoundException>(() => versions.ListVersions("nope")).Message);

        var added = versions.AddVersion(Model, Checkpoints.InitTiny(dir.File("up.ctseg"), seed: 1), VersionRecord.Upload);
        Assert.Equal(("v1.ctseg", "upload", true), (added.Name, added.Source, added.Current));
        app.Store.Publish(Model, Checkpoints.InitTiny(dir.File("ft.ctseg"), seed: 2), FineTune("v1.ctseg", 0.61));

        var listed = versions.ListVersions(Model);
        Assert.Equal(["v2.ctseg", "v1.ctseg"], listed.Select(v => v.Name));
        Assert.Equal([true, false], listed.Select(v => v.Current));
        Assert.Equal(0.61, listed[0].Metrics["best_dice"]!.GetValue<double>());
        Assert.Equal("v1.ctseg", listed[0].Parent);
        Assert.Equal("0.0.0-untrained+v2", listed[0].ModelVersion);

        Assert.True(versions.SetCurrent(Model, "v1").Current);
        Assert.Equal([false, true], versions.ListVersions(Model).Select(v => v.Current));

        // A slice transformer checkpoint is not a SwinUNETR-V2 version; a non-checkpoint is named as bad input.
        string slice = Checkpoints.InitTiny(dir.File("slice.ctseg"), arch: "slice");
        var wrong = Assert.Throws<VolumeFormatException>(() => versions.AddVersion(Model, slice, VersionRecord.Upload));
        Assert.Contains("runs swinunetr-v2 checkpoints", wrong.Message);
        File.WriteAllText(dir.File("junk.ctseg"), "junk");
        Assert.Contains("junk.ctseg", Assert.Throws<VolumeFormatException>(() => versions.AddVersion(Model, dir.File("junk.ctseg"), VersionRecord.Upload)).Message);
        Assert.Equal(2, versions.ListVersions(Model).Count);
    }
}
