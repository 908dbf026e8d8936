using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Tests;

/// <summary>NIfTI (RAS on disk) → NRRD (LPS on disk) → NIfTI: voxels bit-exact, every corner voxel at the
/// same world position within 1e-5 mm, whatever the orientation.</summary>
public class CrossFormatTests
{
    public static TheoryData<string> Orientations => new() { "LPS", "RAS", "oblique", "permuted" };

    private static ImageGeometry GeometryFor(string orientation)
    {
        var shape = new Shape3(11, 7, 5);
        var spacing = new Vec3(0.703125, 0.8125, 2.5);
        var origin = new Vec3(-179.6484375, -301.25, 1234.5);
        var direction = orientation switch
        {
            "LPS" => Mat3.Identity,
            "RAS" => Mat3.Diagonal(new Vec3(-1, -1, 1)),
            "oblique" => Mat3.FromColumns(
                new Vec3(Math.Cos(0.3), Math.Sin(0.3), 0),
                new Vec3(-Math.Sin(0.3) * Math.Cos(0.1), Math.Cos(0.3) * Math.Cos(0.1), Math.Sin(0.1)),
                new Vec3(Math.Sin(0.3) * Math.Sin(0.1), -Math.Cos(0.3) * Math.Sin(0.1), Math.Cos(0.1))),
            _ => Mat3.FromColumns(new Vec3(0, 0, -1), new Vec3(1, 0, 0), new Vec3(0, -1, 0)), // sagittal stack
        };
        return new ImageGeometry(shape, spacing, origin, direction);
    }

    [Theory]
    [MemberData(nameof(Orientations))]
    public void NiftiNrrdNiftiKeepsVoxelsAndWorldCoordinates(string orientation)
    {
        var geometry = GeometryFor(orientation);
        var volume = new Volume<short>(geometry);
        for (int n = 0; n < volume.Data.Length; n++) volume.Data[n] = (short)(n * 37 - 1024);
        using var dir = new TestDir();

        NiftiFile.Write(dir.File("a.nii.gz"), volume);
        VolumeFile.Write(dir.File("b.nrrd"), VolumeFile.Read(dir.File("a.nii.gz")));
        VolumeFile.Write(dir.File("c.nii"), VolumeFile.Read(dir.File("b.nrrd")));
        var back = (Volume<short>)VolumeFile.Read(dir.File("c.nii"));

        Assert.Equal(volume.Data, back.Data);
        foreach (var (expected, actual) in geometry.CornerCentres().Zip(back.Geometry.CornerCentres()))
            Assert.True((expected - actual).MaxAbs <= 1e-5, $"{orientation}: corner {expected} came back at {actual}");
        Assert.Equal(geometry.OrientationCode, back.Geometry.OrientationCode);
    }

    [Fact]
    public void RealCtLabelsThroughSegNrrdAndBackToNifti()
    {
        using var dir = new TestDir();
        var seg = (Volume<byte>)NiftiFile.Read(TestPaths.ExampleSeg);
        VolumeFile.Write(dir.File("seg.seg.nrrd"), seg);
        VolumeFile.Write(dir.File("seg.nii.gz"), VolumeFile.Read(dir.File("seg.seg.nrrd")));
        var back = (Volume<byte>)NiftiFile.Read(dir.File("seg.nii.gz"));
        Assert.Equal(seg.Data, back.Data);
        Assert.True(seg.Geometry.SameGrid(back.Geometry, 1e-5));
        Assert.True(back.Geometry.SameGrid(NiftiFile.Read(TestPaths.ExampleCt).Geometry, 1e-5));
    }
}
