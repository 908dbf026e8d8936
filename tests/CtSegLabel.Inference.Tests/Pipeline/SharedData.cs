using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Training.Labels;

namespace CtSegLabel.Inference.Tests.Pipeline;

/// <summary>The real CT in ../shared/data beside the repository (see its README), and its TotalSegmentator label
/// map translated into the CT class table.</summary>
public static class SharedData
{
    public static string Folder => TestPaths.SharedData;

    public static string ExampleCt => TestPaths.ExampleCt;
    public static string ExampleSeg => TestPaths.ExampleSeg;

    /// <summary>example_seg.nii.gz in CT-table values, read through TotalSegmentator's class list as `ctseg dataset
    /// relabel` reads it: classes of the same name (ribs included), "vertebrae_T11" → "vertebra_T11", lung lobes →
    /// lungs; the rest (bowel, vessels, muscles the table lacks) → 0.</summary>
    public static Volume<byte> ExampleTruth() =>
        ClassTableLabels.Translate(VolumeFile.Read(ExampleSeg),
            SubmittedLabelNames.FromTableFile(Path.Combine(Folder, "totalsegmentator_total_v2_classes.tsv"))).Values.ConvertTo<byte>();
}
