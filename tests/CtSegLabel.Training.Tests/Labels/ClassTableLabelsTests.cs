using System.Text.Json.Nodes;
using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Training.Labels;

namespace CtSegLabel.Training.Tests.Labels;

/// <summary>Submitted labels arrive numbered however their author's tool numbered them; training reads class-table
/// values. These pin how each kind of naming is read back.</summary>
public class ClassTableLabelsTests
{
    private static Volume<byte> Map(params byte[] values) =>
        new(new ImageGeometry(new Shape3(values.Length, 1, 1), new Vec3(1, 1, 1), Vec3.Zero, Mat3.Identity), values);

    [Fact]
    public void Slicer_label_info_numbers_exported_segments_1_to_N_in_segment_order_skipping_background()
    {
        // Slicer's idx counts the background segment too, so the liver (idx 2) is voxel value 1.
        var info = JsonNode.Parse("""
            {"label_info": [{"name": "background", "idx": 1}, {"name": "liver", "idx": 2},
                            {"name": "rib_left_3", "idx": 3}, {"name": "spleen", "idx": 4}], "client_id": "user-xyz"}
            """)!.AsObject();
        var names = SubmittedLabelNames.FromLabelInfo(info)!;
        Assert.Equal(new Dictionary<int, string> { [1] = "liver", [2] = "rib_left_3", [3] = "spleen" }, names);

        var translated = ClassTableLabels.Translate(Map(0, 1, 2, 3, 1), names);
        var table = CtClassTable.GroundTruth;
        Assert.Equal(new ushort[] { 0, (ushort)CtClassTable.ByName("liver").Value, (ushort)CtClassTable.Rib(true, 3).Value,
            (ushort)CtClassTable.ByName("spleen").Value, (ushort)CtClassTable.ByName("liver").Value }, translated.Values.Data);
        Assert.Equal(["liver", "rib_left_3", "spleen"], translated.Covered!.Order(StringComparer.Ordinal));
        Assert.Empty(translated.Unknown);
        Assert.True(table.Count > 3);
    }

    [Fact]
    public void A_saved_result_is_read_through_its_label_names_and_ordinal_instances_stay_distinct()
    {
        // What /infer with save_label stores: the result's label_names inside params.
        var info = JsonNode.Parse("""
            {"model": "swinunetr_v2", "params": {"label_names": {"liver": 1, "left_rib_1": 2, "left_rib_2": 3, "rib_left_1": 4, "tumour": 5}}}
            """)!.AsObject();
        var translated = ClassTableLabels.Translate(Map(1, 2, 3, 4, 5, 0), SubmittedLabelNames.FromLabelInfo(info));
        var v = translated.Values.Data;
        Assert.Equal(CtClassTable.ByName("liver").Value, v[0]);
        Assert.Equal(CtClassTable.Rib(true, 1).Value, v[3]); // the anatomical name keeps its class
        // The unanchored ribs become other left ribs, distinct from each other and from rib_left_1.
        Assert.All(new[] { v[1], v[2] }, x => Assert.Equal(InstanceGroup.RibLeft, CtClassTable.ByValue(x).Group));
        Assert.Equal(3, new[] { v[1], v[2], v[3] }.Distinct().Count());
        Assert.Equal(0, v[4]); // tumour is no class of the table
        Assert.Equal(["tumour"], translated.Unknown);
        Assert.DoesNotContain("tumour", translated.Covered!);
    }

    [Fact]
    public void Without_names_values_are_table_values_and_only_what_is_present_is_known()
    {
        int liver = CtClassTable.ByName("liver").Value;
        var translated = ClassTableLabels.Translate(Map(0, (byte)liver, 250), null);
        Assert.Equal(new ushort[] { 0, (ushort)liver, 0 }, translated.Values.Data); // 250 is past the table
        Assert.Null(translated.Covered);
        Assert.Null(SubmittedLabelNames.FromLabelInfo(new JsonObject { ["client_id"] = "x" }));
    }

    [Fact]
    public void A_seg_nrrd_names_its_values_by_its_segments()
    {
        var segments = new List<SegmentInfo>
        {
            new("Segment_1", "spleen", new Rgb(1, 2, 3), 7),
            new("Segment_2", "vertebra_T7", new Rgb(1, 2, 3), 9),
        };
        var translated = ClassTableLabels.Translate(Map(7, 9, 0), SubmittedLabelNames.FromSegments(segments));
        Assert.Equal(new ushort[] { (ushort)CtClassTable.ByName("spleen").Value, (ushort)CtClassTable.Thoracic(7).Value, 0 }, translated.Values.Data);
    }
}
