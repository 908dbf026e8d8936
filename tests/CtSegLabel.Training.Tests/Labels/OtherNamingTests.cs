using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Training.Labels;
using CtSegLabel.TestSupport;
using static CtSegLabel.TestSupport.CtsegCli;

namespace CtSegLabel.Training.Tests.Labels;

/// <summary>Label maps of another naming — TotalSegmentator's, the commonest source of CT training labels — read into
/// class-table values, on the real segmentation in ../shared/data.</summary>
public class OtherNamingTests
{
    private static string ClassList => Path.Combine(TestPaths.SharedData, "totalsegmentator_total_v2_classes.tsv");

    [Fact]
    public void TotalSegmentator_spellings_map_to_the_table_and_the_rest_is_unknown()
    {
        Assert.Equal("vertebra_T11", NameAliases.TableName("vertebrae_T11"));
        Assert.Equal("lung_left", NameAliases.TableName("lung_upper_lobe_left"));
        Assert.Equal("lung_right", NameAliases.TableName("lung_middle_lobe_right"));
        Assert.Equal("liver", NameAliases.TableName("liver"));
        Assert.Null(NameAliases.TableName("vertebrae_X9"));
        Assert.Null(NameAliases.TableName("kidney_cyst_left"));
    }

    [Fact]
    public void A_class_list_file_is_read_with_its_header_and_a_bad_line_is_named()
    {
        var names = SubmittedLabelNames.FromTableFile(ClassList);
        Assert.Equal("spleen", names[1]);
        Assert.Equal(117, names.Count);

        using var dir = new TestDir();
        string bad = Path.Combine(dir.Path, "bad.tsv");
        File.WriteAllLines(bad, ["index\tname", "1\tspleen", "two\tliver"]);
        var e = Assert.Throws<FormatException>(() => SubmittedLabelNames.FromTableFile(bad));
        Assert.Contains("line 3", e.Message);
    }

    [Fact]
    public void Relabel_turns_the_real_TotalSegmentator_map_into_table_values_voxel_for_voxel()
    {
        using var dir = new TestDir();
        string output = Path.Combine(dir.Path, "truth.nii.gz");
        var (code, text, error) = Ctseg("dataset", "relabel", "--in", TestPaths.ExampleSeg, "--names", ClassList, "--out", output);
        Assert.True(code == 0, error);
        Assert.Contains("not in the table", text);

        var source = VolumeFile.Read(TestPaths.ExampleSeg).ConvertTo<int>().Data;
        var relabeled = VolumeFile.Read(output).ConvertTo<int>().Data;
        var names = SubmittedLabelNames.FromTableFile(ClassList);
        int Value(string name) => CtClassTable.ByName(name).Value;
        for (int v = 0; v < source.Length; v++)
        {
            string? name = source[v] == 0 ? null : names[source[v]];
            int expected = name is null ? 0 : NameAliases.TableName(name) is { } table ? Value(table) : 0;
            if (relabeled[v] != expected) Assert.Fail($"voxel {v}: {name} became {relabeled[v]}, expected {expected}");
        }
        Assert.Contains(Value("vertebra_T11"), relabeled);
        Assert.Contains(Value("lung_left"), relabeled);
    }

    [Fact]
    public void Relabel_refuses_a_missing_class_list()
    {
        using var dir = new TestDir();
        var (code, _, error) = Ctseg("dataset", "relabel", "--in", TestPaths.ExampleSeg, "--names", Path.Combine(dir.Path, "none.tsv"), "--out", Path.Combine(dir.Path, "x.nii.gz"));
        Assert.Equal(2, code);
        Assert.Contains("--names", error);
    }
}
