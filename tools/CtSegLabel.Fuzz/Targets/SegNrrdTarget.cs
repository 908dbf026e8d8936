using System.Text;
using CtSegLabel.Fuzz.Mutation;
using CtSegLabel.Fuzz.Running;
using CtSegLabel.Fuzz.Seeds;
using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Formats;

namespace CtSegLabel.Fuzz.Targets;

/// <summary>The .seg.nrrd segmentation reader (Segment*_ keys, layers flattened into one label map).
/// Inputs are laid out as for <see cref="NrrdTarget"/>.</summary>
public sealed class SegNrrdTarget : VolumeTarget
{
    public override string Name => "seg";

    public override MutationHints Hints { get; } = new([new("detached header length", 0, 4)], NrrdHints.Fields);

    public override IReadOnlyList<Seed> Seeds()
    {
        var labels = SeedVolumes.Labels();
        SegmentInfo[] segments =
        [
            new("Segment_1", "liver", new Rgb(220, 80, 60), 1),
            new("Segment_2", "spleen", new Rgb(10, 200, 30), 2),
            new("Segment_5", "rib 5 \"left\"|x", new Rgb(1, 2, 3), 5),
        ];
        var seeds = new List<Seed>
        {
            new("three-segments.seg.nrrd", SeedVolumes.Bytes("s.seg.nrrd", p => NrrdFile.WriteSegmentation(p, new Segmentation(labels, segments)))),
            new("raw.seg.nrrd", SeedVolumes.Bytes("s.seg.nrrd", p => NrrdFile.WriteSegmentation(p, new Segmentation(labels, segments), new WriteOptions { CompressionLevel = 0 }))),
            new("plain-labels.seg.nrrd", SeedVolumes.Bytes("s.nrrd", p => NrrdFile.Write(p, labels, new WriteOptions { CompressionLevel = 0 }))),
            new("from-labels.seg.nrrd", SeedVolumes.Bytes("s.seg.nrrd", p => VolumeFile.Write(p, labels.ConvertTo<ushort>()))),
        };
        // Two overlapping layers, the 4-D layout Slicer writes when segments overlap: layer axis first.
        const string Layered = "NRRD0004\ntype: unsigned char\ndimension: 4\nsizes: 2 3 2 2\nkinds: list domain domain domain\n" +
            "space: right-anterior-superior\nspace directions: none (1,0,0) (0,1,0) (0,0,1)\nspace origin: (0,0,0)\nencoding: raw\n" +
            "Segment0_ID:=a\nSegment0_LabelValue:=1\nSegment0_Layer:=0\nSegment0_Color:=1 0 0\n" +
            "Segment1_ID:=b\nSegment1_LabelValue:=1\nSegment1_Layer:=1\nSegment1_Name:=bee\n" +
            "Segment2_ID:=c\nSegment2_LabelValue:=2\nSegment2_Layer:=1\n\n";
        seeds.Add(NrrdTarget.Attached("layers.seg.nrrd", Layered, [1, 0, 1, 1, 0, 2, 0, 0, 1, 2, 0, 1, 1, 1, 0, 0, 0, 2, 0, 0, 1, 0, 0, 0]));
        seeds.Add(NrrdTarget.Attached("layers-last-axis.seg.nrrd", Layered.Replace("sizes: 2 3 2 2", "sizes: 3 2 2 2")
            .Replace("kinds: list domain domain domain", "kinds: domain domain domain list")
            .Replace("none (1,0,0) (0,1,0) (0,0,1)", "(1,0,0) (0,1,0) (0,0,1) none"), new byte[24]));
        seeds.Add(NrrdTarget.Detached("detached", Encoding.ASCII.GetString(seeds[1].Bytes).Split("\n\n")[0]
            .Replace("encoding: raw", "encoding: raw\ndata file: " + NrrdTarget.DataFileName) + "\n", new byte[120]));
        return seeds;
    }

    public override string Run(byte[] input, string scratch)
    {
        string path = NrrdTarget.WriteInput(input, scratch, "input.seg.nrrd");
        var segmentation = NrrdFile.ReadSegmentation(path, Limits);
        return $"{Signatures.OfVolume(segmentation.Labels)}:{Signatures.Bucket(segmentation.Segments.Count)}seg";
    }
}
