using CtSegLabel.Models;
using System.Net;
using System.Text.Json.Nodes;
using CtSegLabel.Cli;
using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Server.Tests;

/// <summary>
/// The default server (the CT app) end to end, as 3D Slicer drives it: a tiny checkpoint written by
/// <c>ctseg model init</c> into the models folder while the server runs, a synthetic CT uploaded, <c>/infer</c> with
/// the params the extension sends, the multipart answer parsed like the extension, the label file read back.
/// </summary>
public class CtAppInferTests
{
    /// <summary>What Slicer sends: the model's config with lists collapsed to their first item, plus the result format.</summary>
    private static JsonObject SlicerParams(string extension = ".nrrd") => new()
    {
        ["ribs"] = "connected_components",
        ["precision"] = "fp32",
        ["roi_subset"] = "",
        ["statistics"] = true,
        ["result_extension"] = extension,
        ["result_dtype"] = "uint8",
    };

    private static async Task<Volume<short>> UploadPhantomAsync(ServerHarness server, string id)
    {
        // 30 slices of 3 mm: one (padded) window of the tiny checkpoint.
        var phantom = PhantomGenerator.Generate(5, 0, new PhantomOptions
        {
            Size = 64, Slices = 30, Range = RangeKind.Thorax, Orientation = PhantomOrientation.Lps, Spacing = new Vec3(7.5, 7.5, 3.0),
        });
        string file = Path.Combine(server.Scratch, $"{id}.nii.gz");
        NiftiFile.Write(file, phantom.Ct);
        await server.Client.UploadImageAsync(file, id);
        return phantom.Ct;
    }

    internal static void ModelInit(string path, int classes = 37)
    {
        var error = new StringWriter();
        int code = CommandRunner.Run(CtsegCommands.All,
            ["model", "init", "--arch", "swinunetr-v2", "--config", "tiny", "--classes", classes.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--in-plane", "32", "--block-slices", "32", "--out", path], new StringWriter(), error);
        Assert.True(code == 0, error.ToString());
    }

    [Fact]
    public async Task Infer_returns_a_label_map_on_the_images_grid_named_1_to_N_and_marked_untrained()
    {
        await using var server = new ServerHarness(testApp: false);
        var ct = await UploadPhantomAsync(server, "chest");
        ModelInit(Path.Combine(server.Models, "swinunetr_v2", "0.0.0-untrained.ctseg"));

        var output = await server.Client.InferAsync("swinunetr_v2", "chest", SlicerParams());
        string path = Path.Combine(server.Scratch, output.FileName);
        await File.WriteAllBytesAsync(path, output.File);
        var labels = NrrdFile.Read(path);
        Assert.Equal(ct.Shape, labels.Shape);
        Assert.True(ct.Geometry.SameGrid(labels.Geometry), $"{labels.Geometry} vs {ct.Geometry}");

        var p = output.Params;
        var names = p["label_names"]!.AsObject();
        Assert.Equal(Enumerable.Range(1, names.Count), names.Select(n => n.Value!.GetValue<int>()));
        Assert.Equal(20, names["liver"]!.GetValue<int>()); // the thesis network's organs keep the table's values
        Assert.True(labels.ConvertTo<int>().Data.Max() <= names.Count);
        Assert.True(p["untrained"]!.GetValue<bool>());
        Assert.Equal("0.0.0-untrained", p["model_version"]!.GetValue<string>());
        Assert.Equal("0.0.0-untrained.ctseg", p["checkpoint"]!.GetValue<string>());
        var statistics = p["statistics"]!.AsObject();
        Assert.Equal(names.Select(n => n.Key), statistics.Select(s => s.Key));
        var latencies = p["latencies"]!.AsObject();
        foreach (string stage in new[] { "pre", "infer", "invert", "post", "write", "total" })
            Assert.True(latencies[stage]!.GetValue<double>() >= 0, stage);
        Assert.True(latencies["total"]!.GetValue<double>() >= latencies["infer"]!.GetValue<double>());
    }

    [Fact]
    public async Task Seg_nrrd_carries_the_results_own_segment_names_and_colours()
    {
        await using var server = new ServerHarness(testApp: false);
        var ct = await UploadPhantomAsync(server, "chest");
        ModelInit(Path.Combine(server.Models, "swinunetr_v2", "v1.ctseg"));
        var request = SlicerParams(".seg.nrrd");
        request["roi_subset"] = "liver,heart,vertebrae_thoracic";
        request["statistics"] = false;

        var output = await server.Client.InferAsync("swinunetr_v2", "chest", request);
        string path = Path.Combine(server.Scratch, output.FileName);
        await File.WriteAllBytesAsync(path, output.File);
        var seg = NrrdFile.ReadSegmentation(path);
        Assert.True(ct.Geometry.SameGrid(seg.Labels.Geometry));
        var names = output.Params["label_names"]!.AsObject();
        var segments = seg.Segments.OrderBy(s => s.LabelValue).ToList();
        Assert.Equal(names.Select(n => n.Key), segments.Select(s => s.Name));
        Assert.Equal(names.Select(n => n.Value!.GetValue<int>()), segments.Select(s => s.LabelValue));
        Assert.Equal(["heart", "liver"], segments.Take(2).Select(s => s.Name)); // organs in table order, renumbered 1..N
        Assert.Equal(CtClassTable.ByName("heart").Color, segments[0].Color);
        Assert.All(segments.Skip(2), s => Assert.StartsWith("thoracic_vertebra_", s.Name));
        Assert.Null(output.Params["statistics"]);
    }

    [Fact]
    public async Task Without_a_checkpoint_infer_answers_409_saying_how_to_get_one_and_then_serves_one_copied_in()
    {
        await using var server = new ServerHarness(testApp: false);
        await UploadPhantomAsync(server, "chest");
        MultipartFormDataContent Form(JsonObject p) => new() { { new StringContent(p.ToJsonString()), "params" } };

        var none = await server.Http.PostAsync("/infer/slice_transformer?image=chest", Form(SlicerParams()));
        string detail = await none.AssertDetailAsync(HttpStatusCode.Conflict);
        Assert.Contains("ctseg model import weights.pt --arch slice --out " + Path.Combine(server.Models, "slice_transformer"), detail);
        Assert.Contains("submit labels and train", detail);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/model/slice_transformer")).StatusCode);

        // A checkpoint whose channels are not CT classes is refused by name, not run.
        string notCt = Path.Combine(server.Models, "swinunetr_v2", "four-classes.ctseg");
        ModelInit(notCt, classes: 4);
        string refused = await (await server.Http.PostAsync("/infer/swinunetr_v2?image=chest", Form(SlicerParams()))).AssertDetailAsync(HttpStatusCode.Conflict);
        Assert.Contains("four-classes.ctseg", refused);
        Assert.Contains("not the channels of a CT network", refused);

        // Parameters outside the published config, or structures the model does not know: 422 naming the key.
        var badRibs = SlicerParams();
        badRibs["ribs"] = "guess";
        await (await server.Http.PostAsync("/infer/swinunetr_v2?image=chest", Form(badRibs))).AssertValidationErrorAsync("body", "ribs");

        // A good version copied in is served at once, without a restart; the bad one stays on disk, unnamed.
        ModelInit(Path.Combine(server.Models, "swinunetr_v2", "good.ctseg"));
        await File.WriteAllTextAsync(Path.Combine(server.Models, "swinunetr_v2", "current"), "good.ctseg\n");
        var unknownRoi = SlicerParams();
        unknownRoi["roi_subset"] = "liver,unicorn";
        string msg = await (await server.Http.PostAsync("/infer/swinunetr_v2?image=chest", Form(unknownRoi))).AssertValidationErrorAsync("body", "roi_subset");
        Assert.Contains("'unicorn'", msg);
        if (!CpuFeatures.HasBFloat16Kernels)
        {
            // bf16 where libtorch has no bf16 kernels would run for hours: refused up front, naming what to use instead.
            var bf16 = SlicerParams();
            bf16["precision"] = "bf16";
            string slow = await (await server.Http.PostAsync("/infer/swinunetr_v2?image=chest", Form(bf16))).AssertValidationErrorAsync("body", "precision");
            Assert.Contains("'mixed'", slow);
        }
        var served = await server.Client.InferAsync("swinunetr_v2", "chest", SlicerParams());
        Assert.Equal("good.ctseg", served.Params["checkpoint"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/model/swinunetr_v2")).StatusCode);
    }
}
