using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Tests;

/// <summary>The real CT and its segmentation in /work/shared/data. Expected affines are what nibabel
/// 5.0 reports for these files.</summary>
public class NiftiRealCtTests
{
    [Fact]
    public void ExampleCtReadsAsNibabelSeesIt()
    {
        var ct = Assert.IsType<Volume<short>>(NiftiFile.Read(TestPaths.ExampleCt));
        Assert.Equal(new Shape3(122, 101, 30), ct.Shape);
        Assert.Equal(new Vec3(3, 3, 3), ct.Geometry.Spacing);
        Assert.Equal((-1100.0, 1207.0), ct.ValueRange());
        Assert.Equal("RAS", ct.Geometry.OrientationCode);
        NiftiFixtureTests.AssertRasAffine(ct.Geometry, new double[,]
        {
            { 3, 0, 0, -177.95632934570312 },
            { 0, 3, 0, 11.319000244140625 },
            { 0, 0, 3, 94.3017578125 },
        });
    }

    [Fact]
    public void ExampleSegmentationSharesTheCtGridAsUint8()
    {
        var ct = NiftiFile.Read(TestPaths.ExampleCt);
        var seg = Assert.IsType<Volume<byte>>(NiftiFile.Read(TestPaths.ExampleSeg));
        Assert.True(seg.Geometry.SameGrid(ct.Geometry));
        // Voxel counts listed in the data README (TotalSegmentator's spleen and liver).
        Assert.Equal(9452, seg.Data.Count(v => v == 1));
        Assert.Equal(38634, seg.Data.Count(v => v == 5));
    }

    [Fact]
    public void ExampleCtRoundTripsThroughOurWriter()
    {
        using var dir = new TestDir();
        var ct = NiftiFile.Read(TestPaths.ExampleCt);
        NiftiFile.Write(dir.File("ct.nii.gz"), ct);
        var back = NiftiFile.Read(dir.File("ct.nii.gz"));
        Assert.True(ct.Bytes.SequenceEqual(back.Bytes));
        Assert.True(ct.Geometry.SameGrid(back.Geometry, 1e-5));
    }
}
