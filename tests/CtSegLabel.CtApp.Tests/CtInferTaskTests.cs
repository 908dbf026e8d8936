using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Models;
using CtSegLabel.Models.Checkpoints;
using TorchSharp;

namespace CtSegLabel.CtApp.Tests;

/// <summary>The infer task's refusals, each before any voxel is segmented (the success path runs through HTTP in the
/// server's tests and through the CLI here).</summary>
public class CtInferTaskTests(PhantomCt phantom) : IClassFixture<PhantomCt>
{
    private static CtSegmentationApp App(string models) => new(new AppEnvironment(models, models), ComputeDevice.Choose("cpu", "fp32"));

    private static Task<InferResult> Infer(CtSegmentationApp app, Imaging.Volumes.Volume image, JsonObject? parameters = null) =>
        app.InferTasks[0].InferAsync(new InferRequest(CtSegmentationApp.SwinUnetrV2Model, null, parameters ?? []), image, CancellationToken.None);

    [Fact]
    public async Task Refusals_say_what_to_do()
    {
        using var dir = new TestDir();
        using var app = App(dir.Path);
        var none = await Assert.ThrowsAsync<ModelUnavailableException>(() => Infer(app, phantom.Ct));
        Assert.Equal(CtSegmentationApp.SwinUnetrV2Model, none.Model);
        Assert.Contains($"--out {Path.Combine(dir.Path, "swinunetr_v2", "<version>.ctseg")}", none.Message);
        Assert.Null(app.InferTasks[0].ModelPath);

        string folder = Path.Combine(dir.Path, "swinunetr_v2");
        string good = Checkpoints.InitTiny(Path.Combine(folder, "v1.ctseg"));
        Assert.Equal(good, app.InferTasks[0].ModelPath);
        var badRoi = await Assert.ThrowsAsync<InferParameterException>(() => Infer(app, phantom.Ct, new JsonObject { ["roi_subset"] = "liver,unicorn" }));
        Assert.Equal("roi_subset", badRoi.Key);
        Assert.Contains("'unicorn'", badRoi.Problem);
        Assert.Equal("statistics", (await Assert.ThrowsAsync<InferParameterException>(() => Infer(app, phantom.Ct, new JsonObject { ["statistics"] = "yes" }))).Key);

        // Preprocessing the pipeline cannot run (written by hand: ctseg model init refuses it) is the checkpoint's fault.
        torch.manual_seed(1);
        using (var network = NetworkArchitecture.Create("swinunetr-v2", "tiny", 37).Build())
        {
            var metadata = ModelCheckpoint.ReadMetadata(good);
            ModelCheckpoint.Save(Path.Combine(folder, "v2.ctseg"), network, metadata with
            {
                CreatedUtc = metadata.CreatedUtc.AddMinutes(1),
                Preprocessing = metadata.Preprocessing with { SliceSpacingMm = 0 },
            });
        }
        var unusable = await Assert.ThrowsAsync<ModelUnavailableException>(() => Infer(app, phantom.Ct));
        Assert.Contains("v2.ctseg", unusable.Message);
        Assert.Contains("SliceSpacingMm", unusable.Message);
        Assert.Contains("Replace or remove that file", unusable.Message);
    }
}
