using CtSegLabel.Models;
using CtSegLabel.Models.Checkpoints;

namespace CtSegLabel.CtApp.Tests;

public class ModelStoreTests
{
    private static readonly ComputeDevice Cpu = ComputeDevice.Choose("cpu", "fp32");
    private const string Model = "swinunetr_v2";

    [Fact]
    public void No_folder_or_no_checkpoint_means_no_version()
    {
        using var dir = new TestDir();
        using var store = new ModelStore(dir.Path, Cpu);
        Assert.Null(store.Current(Model));
        Assert.Null(store.Acquire(Model, Precision.Float32));
        Directory.CreateDirectory(store.FolderOf(Model));
        File.WriteAllText(Path.Combine(store.FolderOf(Model), "notes.txt"), "weights come later");
        Assert.Empty(store.Versions(Model));
        Assert.Null(store.Current(Model));
    }

    [Fact]
    public void Newest_by_creation_time_in_the_metadata_unless_current_names_one()
    {
        using var dir = new TestDir();
        using var store = new ModelStore(dir.Path, Cpu);
        string folder = store.FolderOf(Model);
        string older = Checkpoints.InitTiny(Path.Combine(folder, "b-older.ctseg"), seed: 1);
        string newer = Checkpoints.InitTiny(Path.Combine(folder, "a-newer.ctseg"), seed: 2);
        // The file times say the opposite: the metadata decides, not the file system.
        File.SetLastWriteTimeUtc(newer, DateTime.UtcNow.AddHours(-2));
        Assert.True(ModelCheckpoint.ReadMetadata(newer).CreatedUtc > ModelCheckpoint.ReadMetadata(older).CreatedUtc);

        Assert.Equal([newer, older], store.Versions(Model).Select(v => v.Path));
        Assert.Equal(newer, store.Current(Model)!.Path);

        File.WriteAllText(Path.Combine(folder, ModelStore.CurrentFileName), "b-older.ctseg\n");
        Assert.Equal(older, store.Current(Model)!.Path);
        using var lease = store.Acquire(Model, Precision.Float32)!;
        Assert.Equal(older, lease.Model.Version.Path);
        Assert.Equal(1, lease.Model.Version.Metadata.Provenance.Seed);
    }

    [Fact]
    public void A_new_version_is_served_without_restart_while_a_request_in_flight_keeps_its_network()
    {
        using var dir = new TestDir();
        using var store = new ModelStore(dir.Path, Cpu);
        string folder = store.FolderOf(Model);
        Checkpoints.InitTiny(Path.Combine(folder, "v1.ctseg"), seed: 1);

        var first = store.Acquire(Model, Precision.Float32)!;
        var firstModel = first.Model;
        var firstWeight = firstModel.Network.parameters().First();
        using (var again = store.Acquire(Model, Precision.Float32)!)
            Assert.Same(firstModel, again.Model); // loaded once, shared

        Checkpoints.InitTiny(Path.Combine(folder, "v2.ctseg"), seed: 2);
        using var second = store.Acquire(Model, Precision.Float32)!;
        Assert.EndsWith("v2.ctseg", second.Model.Version.Path);
        Assert.NotSame(firstModel, second.Model);

        // The request that started on v1 still runs v1's network after the store moved on.
        using (var predictor = new TorchWindowPredictor(firstModel.Network, Cpu, lifetime: first))
            Assert.Single(predictor.Predict([TinyWindows.Window(1)], false, CancellationToken.None));
        // Its lease was the last reference: the replaced network is freed.
        Assert.True(firstWeight.IsInvalid);
        Assert.False(second.Model.Network.parameters().First().IsInvalid);

        // Rewriting a file in place (new stamp) is a new version too.
        Checkpoints.InitTiny(Path.Combine(folder, "v2.ctseg"), seed: 3);
        using var third = store.Acquire(Model, Precision.Float32)!;
        Assert.NotSame(second.Model, third.Model);
        Assert.Equal(3, third.Model.Version.Metadata.Provenance.Seed);
    }

    [Fact]
    public void Each_precision_gets_its_own_copy_of_the_network()
    {
        using var dir = new TestDir();
        using var store = new ModelStore(dir.Path, Cpu);
        Checkpoints.InitTiny(Path.Combine(store.FolderOf(Model), "v1.ctseg"));
        using var fp32 = store.Acquire(Model, Precision.Float32)!;
        using var bf16 = store.Acquire(Model, Precision.BFloat16)!;
        Assert.Equal(TorchSharp.torch.ScalarType.Float32, fp32.Model.Network.parameters().First().dtype);
        Assert.Equal(TorchSharp.torch.ScalarType.BFloat16, bf16.Model.Network.parameters().First().dtype);
        Assert.Equal(Precision.BFloat16, bf16.Model.Device.Precision);
    }

    [Fact]
    public void Bad_checkpoints_and_bad_current_files_are_named()
    {
        using var dir = new TestDir();
        using var store = new ModelStore(dir.Path, Cpu);
        string folder = store.FolderOf(Model);
        Checkpoints.InitTiny(Path.Combine(folder, "good.ctseg"));

        string current = Path.Combine(folder, ModelStore.CurrentFileName);
        File.WriteAllText(current, "gone.ctseg");
        var missing = Assert.Throws<ModelFormatException>(() => store.Current(Model));
        Assert.Contains(current, missing.Message);
        Assert.Contains("'gone.ctseg'", missing.Message);

        File.WriteAllText(current, "../elsewhere/good.ctseg");
        Assert.Contains("not a bare file name", Assert.Throws<ModelFormatException>(() => store.Current(Model)).Message);
        File.WriteAllText(current, "\n");
        Assert.Contains("is empty", Assert.Throws<ModelFormatException>(() => store.Current(Model)).Message);
        File.Delete(current);

        string broken = Path.Combine(folder, "broken.ctseg");
        File.WriteAllText(broken, "this is not a checkpoint");
        var bad = Assert.Throws<ModelFormatException>(() => store.Acquire(Model, Precision.Float32));
        Assert.Contains(broken, bad.Message);
        Assert.Contains("not a ctseg checkpoint", bad.Message);
        File.Delete(broken);

        // Right file, wrong network for this model.
        using (store.Acquire(Model, Precision.Float32, SwinUnetrV2Architecture.ArchName)) { }
        var wrong = Assert.Throws<ModelFormatException>(() => store.Acquire(Model, Precision.Float32, SliceTransformerArchitecture.ArchName));
        Assert.Contains("runs slice checkpoints", wrong.Message);
    }
}
