using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Tests;

/// <summary>The real abdominal CT and its label map (shared/data) through NRRD and .seg.nrrd.</summary>
public class NrrdRealCtTests
{
    [Fact]
    public void RealCtRoundTripsBitExactly()
    {
        var ct = (Volume<short>)NiftiFile.Read(TestPaths.ExampleCt); // int16 Hounsfield units
        int rawBytes = ct.Bytes.Length;
        var (min, max) = ct.ValueRange();
        Assert.Equal((-1100.0, 1207.0), (min, max));

        using var dir = new TestDir();
        NrrdFile.Write(dir.File("ct.nrrd"), ct);
        var back = (Volume<short>)NrrdFile.Read(dir.File("ct.nrrd"));
        Assert.Equal(ct.Data, back.Data);
        NrrdTestFiles.AssertSameCorners(ct.Geometry, back.Geometry, 1e-9);
        Assert.Equal("RAS", back.Geometry.OrientationCode);
        // gzip earns its place on real CT.
        Assert.True(new FileInfo(dir.File("ct.nrrd")).Length < rawBytes * 0.9, $"{new FileInfo(dir.File("ct.nrrd")).Length} vs {rawBytes}");
    }

    [Fact]
    public void RealLabelMapRoundTripsAsSegNrrdWithEveryLabel()
    {
        var labels = (Volume<byte>)NiftiFile.Read(TestPaths.ExampleSeg);
        var present = labels.Data.Where(v => v != 0).Distinct().Order().Select(v => (int)v).ToArray();
        Assert.Contains(117, present); // costal cartilages: beyond our table, so named label_117

        using var dir = new TestDir();
        string path = dir.File("seg.seg.nrrd");
        VolumeFile.Write(path, labels);
        var seg = NrrdFile.ReadSegmentation(path);

        Assert.Equal(present, seg.Segments.Select(s => s.LabelValue));
        Assert.Equal(labels.Data, ((Volume<byte>)seg.Labels).Data);
        Assert.Equal("label_117", seg.Segments[^1].Name);
        Assert.Equal("spleen", seg.Segments.Single(s => s.LabelValue == 30).Name); // our table's value 30
        var header = NrrdFile.ReadHeader(path);
        Assert.Equal("unsigned char", header.Field("type"));
        var spleenBox = LabelMapScan.Extents(labels)[30];
        int index = Array.IndexOf(present, 30);
        Assert.Equal(spleenBox.ToString(), header.Value($"Segment{index}_Extent"));
    }
}
