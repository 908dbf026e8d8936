using System.Text.Json;
using System.Text.Json.Nodes;
using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Instances;

namespace CtSegLabel.Inference.Tests.Cli;

public class EvalCommandTests
{
    private static Volume<byte> PhantomLabels() =>
        PhantomGenerator.Generate(5, 0, new PhantomOptions { Size = 64, Range = RangeKind.NeckToThigh, Spacing = new Vec3(7, 7, 6) }).Labels;

    private static int[] Present(Volume<byte> labels, InstanceGroup group) =>
        labels.Data.Distinct().Where(v => v != 0 && CtClassTable.ByValue(v).Group == group).Select(v => (int)v).Order().ToArray();

    [Fact]
    public void Ground_truth_against_itself_scores_one_and_a_perturbed_copy_the_hand_expected_recognition_quality()
    {
        using var dir = new TestDir();
        string gt = dir.Sub("gt"), pred = dir.Sub("pred"), same = dir.Sub("same");
        var truth = PhantomLabels();
        NiftiFile.Write(Path.Combine(gt, "case.nii.gz"), truth);
        NiftiFile.Write(Path.Combine(same, "case.nii.gz"), truth);

        var ribs = Present(truth, InstanceGroup.RibLeft);
        var lumbar = Present(truth, InstanceGroup.LumbarVertebra);
        Assert.True(ribs.Length >= 3 && lumbar.Length >= 3, $"phantom has {ribs.Length} left ribs, {lumbar.Length} lumbar");
        int unusedLumbar = Enumerable.Range(1, 6).Select(n => CtClassTable.Lumbar(n).Value).First(v => !lumbar.Contains(v));

        // Remove one left rib; split one lumbar vertebra at its middle slice into two numbered parts.
        var perturbed = truth.Clone();
        byte rib = (byte)ribs[1], vertebra = (byte)lumbar[1];
        var slices = Enumerable.Range(0, truth.Shape.Z).Where(k => truth.Slice(k).Contains(vertebra)).ToArray();
        int middle = slices[slices.Length / 2];
        for (int k = 0; k < truth.Shape.Z; k++)
        {
            var s = perturbed.Slice(k);
            for (int p = 0; p < s.Length; p++)
            {
                if (s[p] == rib) s[p] = 0;
                else if (s[p] == vertebra && k >= middle) s[p] = (byte)unusedLumbar;
            }
        }
        NiftiFile.Write(Path.Combine(pred, "case.nii.gz"), perturbed);

        string json = Path.Combine(dir.Path, "same.json");
        var (code, output, error) = Ctseg("eval", "--pred", same, "--gt", gt, "--json", json);
        Assert.True(code == 0, error);
        Assert.Contains("case.nii.gz", output);
        using (var doc = JsonDocument.Parse(File.ReadAllBytes(json)))
        {
            var c = doc.RootElement.GetProperty("cases")[0];
            Assert.Equal(1.0, c.GetProperty("mean_dice").GetDouble(), 12);
            Assert.Equal(1.0, c.GetProperty("panoptic").GetProperty("ribs_left").GetProperty("pq").GetDouble(), 12);
            Assert.Equal(1.0, c.GetProperty("panoptic").GetProperty("vertebrae_thoracic").GetProperty("pq").GetDouble(), 12);
        }

        json = Path.Combine(dir.Path, "perturbed.json");
        (code, _, error) = Ctseg("eval", "--pred", pred, "--gt", gt, "--json", json);
        Assert.True(code == 0, error);
        using (var doc = JsonDocument.Parse(File.ReadAllBytes(json)))
        {
            var panoptic = doc.RootElement.GetProperty("cases")[0].GetProperty("panoptic");
            var left = panoptic.GetProperty("ribs_left");
            // n left ribs, one missing: TP = n − 1, FN = 1 → RQ = (n − 1) / (n − 1 + 1/2).
            int n = ribs.Length;
            Assert.Equal((n - 1, 0, 1), (left.GetProperty("tp").GetInt32(), left.GetProperty("fp").GetInt32(), left.GetProperty("fn").GetInt32()));
            Assert.Equal((n - 1) / (n - 0.5), left.GetProperty("rq").GetDouble(), 12);
            // m lumbar, one split in two parts: the larger part matches (Dice > 0.5), the other is a false
            // positive: TP = m, FP = 1 → RQ = m / (m + 1/2).
            var thor = panoptic.GetProperty("vertebrae_lumbar");
            int m = lumbar.Length;
            Assert.Equal((m, 1, 0), (thor.GetProperty("tp").GetInt32(), thor.GetProperty("fp").GetInt32(), thor.GetProperty("fn").GetInt32()));
            Assert.Equal(m / (m + 0.5), thor.GetProperty("rq").GetDouble(), 12);
            Assert.Equal(1.0, panoptic.GetProperty("vertebrae_thoracic").GetProperty("pq").GetDouble(), 12);
            Assert.Equal(1.0, panoptic.GetProperty("ribs_right").GetProperty("pq").GetDouble(), 12);
        }
    }

    [Fact]
    public void A_result_numbered_1_to_N_is_read_through_its_names_from_a_seg_nrrd_or_the_json_beside_a_nifti()
    {
        // The truth renumbered as ctseg and MONAI Label results are: values 1..N in order of appearance, vertebrae and
        // ribs under ordinal names. Read as table values it would be nonsense; read through its names it is perfect.
        using var dir = new TestDir();
        string gt = dir.Sub("gt"), seg = dir.Sub("seg"), nifti = dir.Sub("nifti");
        var truth = PhantomLabels();
        NiftiFile.Write(Path.Combine(gt, "case.nii.gz"), truth);
        var present = truth.Data.Distinct().Where(v => v != 0).Order().ToArray();
        var newValue = new byte[256];
        var names = new JsonObject();
        var perGroup = new Dictionary<InstanceGroup, int>();
        for (int n = 0; n < present.Length; n++)
        {
            var cls = CtClassTable.ByValue(present[n]);
            newValue[present[n]] = (byte)(present.Length - n); // reversed, so no value keeps its table meaning
            string name = cls.IsInstance
                ? InstanceNumbering.OrdinalName(cls.Group, perGroup[cls.Group] = perGroup.GetValueOrDefault(cls.Group) + 1)
                : cls.Name;
            names[name] = present.Length - n;
        }
        var result = new Volume<byte>(truth.Geometry);
        for (int v = 0; v < result.Data.Length; v++) result.Data[v] = newValue[truth.Data[v]];
        NiftiFile.Write(Path.Combine(nifti, "case.nii.gz"), result);
        File.WriteAllText(Path.Combine(nifti, "case.json"), new JsonObject { ["label_names"] = names }.ToJsonString());
        var segments = names.Select(p => new SegmentInfo($"Segment_{p.Value}", p.Key, new Rgb(1, 2, 3), p.Value!.GetValue<int>())).ToList();
        NrrdFile.WriteSegmentation(Path.Combine(seg, "case.seg.nrrd"), new Segmentation(result, segments));

        foreach (var pred in new[] { seg, nifti })
        {
            string json = Path.Combine(dir.Path, Path.GetFileName(pred) + ".json");
            var (code, _, error) = Ctseg("eval", "--pred", pred, "--gt", gt, "--json", json);
            Assert.True(code == 0, error);
            using var doc = JsonDocument.Parse(File.ReadAllBytes(json));
            var c = doc.RootElement.GetProperty("cases")[0];
            Assert.Equal(1.0, c.GetProperty("mean_dice").GetDouble(), 12);
            foreach (var group in new[] { "ribs_left", "ribs_right", "vertebrae_thoracic", "vertebrae_lumbar" })
                Assert.Equal(1.0, c.GetProperty("panoptic").GetProperty(group).GetProperty("pq").GetDouble(), 12);
        }

        // Without the names beside it, the same NIfTI is read in table values and scores poorly: the names matter.
        File.Delete(Path.Combine(nifti, "case.json"));
        string plain = Path.Combine(dir.Path, "plain.json");
        Assert.Equal(0, Ctseg("eval", "--pred", nifti, "--gt", gt, "--json", plain).Code);
        using (var doc = JsonDocument.Parse(File.ReadAllBytes(plain)))
            Assert.True(doc.RootElement.GetProperty("cases")[0].GetProperty("mean_dice").GetDouble() < 0.5);
    }

    [Fact]
    public void Mismatched_shapes_name_the_file_and_missing_options_are_usage_errors()
    {
        using var dir = new TestDir();
        string gt = dir.Sub("gt"), pred = dir.Sub("pred");
        NiftiFile.Write(Path.Combine(gt, "a.nii.gz"), new Volume<byte>(new ImageGeometry(new Shape3(4, 4, 4), new Vec3(1, 1, 1))));
        NiftiFile.Write(Path.Combine(pred, "a.nii.gz"), new Volume<byte>(new ImageGeometry(new Shape3(4, 4, 5), new Vec3(1, 1, 1))));
        var (code, _, error) = Ctseg("eval", "--pred", pred, "--gt", gt);
        Assert.Equal(2, code);
        Assert.Contains("a.nii.gz", error);
        Assert.Contains("shape", error);
        Assert.Equal(2, Ctseg("eval", "--pred", pred).Code);
    }
}
