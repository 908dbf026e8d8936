using System.Text.Json.Nodes;
using CtSegLabel.AppContract.Builtin;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;
using Xunit.Abstractions;

namespace CtSegLabel.Server.Tests;

/// <summary>The Slicer workflow on the real CT of ../shared/data: upload, segment, submit its real
/// annotation, fine-tune, segment again.</summary>
public class RealCtTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Real_ct_is_segmented_on_its_own_grid_and_training_on_its_annotation_improves_the_model()
    {
        await using var server = new ServerHarness();
        var ct = NiftiFile.Read(TestPaths.ExampleCt);
        await server.Client.UploadImageAsync(TestPaths.ExampleCt, "example_ct");

        var before = await InferAsync(server, ct);
        long expectedBone = 0;
        for (long n = 0; n < ct.Shape.VoxelCount; n++) if (ct.GetDouble(n) > 300) expectedBone++;
        Assert.Equal(expectedBone, before.Data.LongCount(v => v == 1));
        Assert.True(before.Data.LongCount(v => v == 2) > 1000, "the lung bases in this CT are enclosed air");

        // The real annotation, mapped onto the model's labels: vertebrae, ribs, cartilage → bone; lung lobes → lung.
        string truthPath = Path.Combine(server.Scratch, "tmp_truth.nii.gz");
        var truth = MapTotalSegmentator((Volume<byte>)NiftiFile.Read(TestPaths.ExampleSeg));
        NiftiFile.Write(truthPath, truth);
        await server.Client.SaveLabelAsync("example_ct", truthPath);

        var stats = await (await server.Http.PostAsync("/train/threshold_bones?run_sync=true",
            Http.JsonBody("{\"max_epochs\": 10, \"iterations_per_epoch\": 60}"))).ObjectAsync();
        Assert.Equal(10, stats["total_epochs"]!.GetValue<int>());

        var after = await InferAsync(server, ct);
        double diceBefore = LabelOverlap.DicePerLabel(before, truth).Values.Average();
        double diceAfter = LabelOverlap.DicePerLabel(after, truth).Values.Average();
        output.WriteLine($"mean Dice before {diceBefore:F4}, after {diceAfter:F4}; thresholds {stats["train"]!.ToJsonString()}");
        Assert.True(diceAfter > diceBefore + 0.01, $"mean Dice {diceBefore:F4} before training, {diceAfter:F4} after");
        Assert.Equal(diceAfter, stats["best_metric"]!.GetValue<double>(), 3);
    }

    private static async Task<Volume<byte>> InferAsync(ServerHarness server, Volume ct)
    {
        var output = await server.Client.InferAsync("threshold_bones", "example_ct",
            new JsonObject { ["result_extension"] = ".nrrd", ["result_dtype"] = "uint8" });
        string path = Path.Combine(server.Scratch, output.FileName);
        await File.WriteAllBytesAsync(path, output.File);
        var labels = (Volume<byte>)NrrdFile.Read(path);
        Assert.True(ct.Geometry.SameGrid(labels.Geometry, 1e-3), $"{labels.Geometry} vs {ct.Geometry}");
        return labels;
    }

    /// <summary>TotalSegmentator "total" v2 indices (../shared/data/totalsegmentator_total_v2_classes.tsv): 10–14 lung
    /// lobes → lung; 25–50 sacrum and vertebrae, 69–78 limb and girdle bones, 91 skull, 92–116 ribs and sternum,
    /// 117 costal cartilages → bone.</summary>
    private static Volume<byte> MapTotalSegmentator(Volume<byte> seg)
    {
        var mapped = new Volume<byte>(seg.Geometry);
        for (int n = 0; n < seg.Data.Length; n++)
        {
            int v = seg.Data[n];
            mapped.Data[n] = v is >= 10 and <= 14 ? (byte)2 : v is (>= 25 and <= 50) or (>= 69 and <= 78) or 91 or (>= 92 and <= 117) ? (byte)1 : (byte)0;
        }
        return mapped;
    }
}
