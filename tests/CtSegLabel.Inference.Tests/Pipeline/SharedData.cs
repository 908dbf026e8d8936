using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Inference.Tests.Pipeline;

/// <summary>The real CT in ../shared/data beside the repository (see its README), and its TotalSegmentator label
/// map translated into the CT class table.</summary>
public static class SharedData
{
    public static string Folder => TestPaths.SharedData;

    public static string ExampleCt => TestPaths.ExampleCt;
    public static string ExampleSeg => TestPaths.ExampleSeg;

    /// <summary>example_seg.nii.gz in CT-table values: classes of the same name (ribs included), "vertebrae_T11" →
    /// "vertebra_T11", lung lobes → lungs; the rest (bowel, vessels, muscles the table lacks) → 0.</summary>
    public static Volume<byte> ExampleTruth()
    {
        var names = File.ReadLines(Path.Combine(Folder, "totalsegmentator_total_v2_classes.tsv")).Skip(1)
            .Select(line => line.Split('\t')).ToDictionary(f => int.Parse(f[0]), f => f[1]);
        var lut = new byte[256];
        foreach (var (index, name) in names)
        {
            string ours = name.StartsWith("vertebrae_", StringComparison.Ordinal) ? "vertebra_" + name["vertebrae_".Length..]
                : name.StartsWith("lung_", StringComparison.Ordinal) ? (name.EndsWith("_left", StringComparison.Ordinal) ? "lung_left" : "lung_right")
                : name;
            var cls = CtClassTable.GroundTruth.FirstOrDefault(c => c.Name == ours);
            if (cls is not null) lut[index] = (byte)cls.Value;
        }
        var seg = VolumeFile.Read(ExampleSeg).ConvertTo<byte>();
        var truth = new Volume<byte>(seg.Geometry);
        for (int v = 0; v < seg.Data.Length; v++) truth.Data[v] = lut[seg.Data[v]];
        return truth;
    }
}
