using System.Text.Json.Nodes;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.CtApp.Tests;

public class InferCommandTests(PhantomCt phantom) : IClassFixture<PhantomCt>
{
    [Fact]
    public void Segments_a_ct_onto_its_own_grid_with_the_result_params_beside_the_label_file()
    {
        using var dir = new TestDir();
        string checkpoint = Checkpoints.InitTiny(Path.Combine(dir.Path, "tiny.ctseg"));
        string output = Path.Combine(dir.Path, "out", "labels.nii.gz");

        var (code, text, error) = Ctseg("infer", "-i", phantom.Path, "-o", output, "--model", checkpoint, "--statistics", "--device", "cpu");
        Assert.True(code == 0, error);
        Assert.Contains("UNTRAINED", text);
        Assert.Contains("infer: window 2/2", text);

        var labels = NiftiFile.Read(output);
        Assert.Equal(phantom.Ct.Shape, labels.Shape);
        Assert.True(phantom.Ct.Geometry.SameGrid(labels.Geometry), $"{labels.Geometry} vs {phantom.Ct.Geometry}");
        Assert.Equal(VoxelType.UInt8, labels.VoxelType);

        var resultParams = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.Path, "out", "labels.json")))!.AsObject();
        Assert.True(resultParams["untrained"]!.GetValue<bool>());
        var statistics = resultParams["statistics"]!.AsObject();
        var values = statistics.Select(s => s.Value!["value"]!.GetValue<int>()).ToList();
        Assert.Equal(Enumerable.Range(1, values.Count), values);
        // label_names says the same as the statistics: which value is which structure.
        var names = resultParams["label_names"]!.AsObject();
        Assert.Equal(statistics.Select(s => (s.Key, s.Value!["value"]!.GetValue<int>())), names.Select(n => (n.Key, n.Value!.GetValue<int>())));
        Assert.True(((Volume<byte>)labels).Data.Max() <= values.Count);
        // The 32 organs of the thesis's network are always listed, whether found or not.
        Assert.True(statistics.ContainsKey("liver"));
        Assert.True(statistics["liver"]!["volume_ml"]!.GetValue<double>() >= 0);
    }

    [Fact]
    public void Seg_nrrd_output_names_its_segments_and_roi_subset_keeps_only_those()
    {
        using var dir = new TestDir();
        string models = dir.Sub("models");
        Checkpoints.InitTiny(Path.Combine(models, "swinunetr_v2", "v1.ctseg"));
        string output = Path.Combine(dir.Path, "labels.seg.nrrd");

        var (code, _, error) = Ctseg("infer", "-i", phantom.Path, "-o", output, "--models", models, "--roi-subset", "liver, spleen,rib_left",
            "--ribs", "clustering");
        Assert.True(code == 0, error);
        var seg = NrrdFile.ReadSegmentation(output);
        Assert.True(phantom.Ct.Geometry.SameGrid(seg.Labels.Geometry));
        var names = seg.Segments.OrderBy(s => s.LabelValue).Select(s => s.Name).ToList();
        Assert.Equal(["liver", "spleen"], names.Take(2));
        Assert.All(names.Skip(2), n => Assert.StartsWith("left_rib_", n));
        Assert.Equal(Enumerable.Range(1, names.Count), seg.Segments.Select(s => s.LabelValue).Order());
        Assert.Equal(new Imaging.Anatomy.Rgb(221, 130, 101), seg.Segments.Single(s => s.Name == "liver").Color);
        var resultParams = JsonNode.Parse(File.ReadAllText(Path.Combine(dir.Path, "labels.json")))!.AsObject();
        Assert.Null(resultParams["statistics"]);
        Assert.Equal(names, resultParams["label_names"]!.AsObject().Select(n => n.Key));
    }

    [Fact]
    public void Mistakes_exit_2_naming_what_is_wrong()
    {
        using var dir = new TestDir();
        string checkpoint = Checkpoints.InitTiny(Path.Combine(dir.Path, "tiny.ctseg"));
        string output = Path.Combine(dir.Path, "labels.nii.gz");
        string missing = Path.Combine(dir.Path, "no such ct.nii.gz");

        var noInput = Ctseg("infer", "-i", missing, "-o", output, "--model", checkpoint);
        Assert.Equal(2, noInput.Code);
        Assert.Contains(missing, noInput.Err);

        var noModel = Ctseg("infer", "-i", phantom.Path, "-o", output, "--models", dir.Sub("empty models"));
        Assert.Equal(2, noModel.Code);
        Assert.Contains("ctseg model import", noModel.Err);
        Assert.Contains(Path.Combine("empty models", "swinunetr_v2"), noModel.Err);

        Assert.Contains("--ribs", Ctseg("infer", "-i", phantom.Path, "-o", output, "--model", checkpoint, "--ribs", "guess").Err);
        Assert.Contains("'pancreas2'", Ctseg("infer", "-i", phantom.Path, "-o", output, "--model", checkpoint, "--roi-subset", "pancreas2").Err);
        Assert.Contains(".png", Ctseg("infer", "-i", phantom.Path, "-o", Path.Combine(dir.Path, "x.png"), "--model", checkpoint).Err);
        Assert.Contains("either --model", Ctseg("infer", "-i", phantom.Path, "-o", output, "--model", checkpoint, "--models", dir.Path).Err);

        string notCt = Checkpoints.InitTiny(Path.Combine(dir.Path, "four.ctseg"), classes: 4);
        var wrongLabels = Ctseg("infer", "-i", phantom.Path, "-o", output, "--model", notCt);
        Assert.Equal(2, wrongLabels.Code);
        Assert.Contains("not the channels of a CT network", wrongLabels.Err);
        Assert.Contains("four.ctseg", wrongLabels.Err);
        Assert.False(File.Exists(output));
    }
}
