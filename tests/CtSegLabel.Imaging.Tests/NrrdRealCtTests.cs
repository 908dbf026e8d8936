using System.Buffers.Binary;
using System.IO.Compression;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Tests;

/// <summary>The real abdominal CT and its label map (shared/data) through NRRD and .seg.nrrd.</summary>
public class NrrdRealCtTests
{
    /// <summary>The voxel block of a NIfTI-1 file, found from the few header fields that locate it
    /// (dim, datatype, vox_offset). Enough to get real bytes here; geometry is not interpreted.</summary>
    private static (Shape3 Shape, short Datatype, byte[] Voxels) NiftiVoxels(string path)
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var all = new MemoryStream();
        gz.CopyTo(all);
        var bytes = all.ToArray();
        Assert.Equal(348, BinaryPrimitives.ReadInt32LittleEndian(bytes));
        var shape = new Shape3(BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(42)),
            BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(44)), BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(46)));
        short datatype = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(70));
        int offset = (int)BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(108));
        int size = datatype == 4 ? 2 : 1;
        return (shape, datatype, bytes.AsSpan(offset, (int)shape.VoxelCount * size).ToArray());
    }

    private static readonly ImageGeometry CtGrid = new(new Shape3(122, 101, 30), new Vec3(3, 3, 3), new Vec3(181.5, 150, -35), Mat3.Diagonal(new Vec3(-1, -1, 1)));

    [Fact]
    public void RealCtRoundTripsBitExactly()
    {
        var (shape, datatype, voxels) = NiftiVoxels(TestPaths.ExampleCt);
        Assert.Equal(4, datatype); // int16 Hounsfield units
        var ct = new Volume<short>(CtGrid with { Shape = shape });
        voxels.CopyTo(ct.Bytes);
        var (min, max) = ct.ValueRange();
        Assert.Equal((-1100.0, 1207.0), (min, max));

        using var dir = new TempDir();
        NrrdFile.Write(dir.File("ct.nrrd"), ct);
        var back = (Volume<short>)NrrdFile.Read(dir.File("ct.nrrd"));
        Assert.Equal(ct.Data, back.Data);
        NrrdTestFiles.AssertSameCorners(ct.Geometry, back.Geometry, 1e-9);
        Assert.Equal("RAS", back.Geometry.OrientationCode);
        // gzip earns its place on real CT.
        Assert.True(new FileInfo(dir.File("ct.nrrd")).Length < voxels.Length * 0.9, $"{new FileInfo(dir.File("ct.nrrd")).Length} vs {voxels.Length}");
    }

    [Fact]
    public void RealLabelMapRoundTripsAsSegNrrdWithEveryLabel()
    {
        var (shape, datatype, voxels) = NiftiVoxels(TestPaths.ExampleSeg);
        Assert.Equal(2, datatype); // uint8
        var labels = new Volume<byte>(CtGrid with { Shape = shape }, voxels);
        var present = labels.Data.Where(v => v != 0).Distinct().Order().Select(v => (int)v).ToArray();
        Assert.Contains(117, present); // costal cartilages: beyond our table, so named label_117

        using var dir = new TempDir();
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
