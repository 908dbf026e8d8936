using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Tests;

public class GeometryTests
{
    [Fact]
    public void RasAffineRoundTripKeepsEveryCorner()
    {
        var dir = Mat3.FromColumns(new Vec3(0.6, 0.8, 0), new Vec3(-0.8, 0.6, 0), new Vec3(0, 0, -1));
        var g = new ImageGeometry(new Shape3(17, 9, 5), new Vec3(0.7, 0.8, 2.5), new Vec3(-120.25, 33.5, 1402.75), dir);
        var back = ImageGeometry.FromRasAffine(g.Shape, g.ToRasAffine());
        Assert.True(g.SameGrid(back, 1e-9));
        var a = g.ToRasAffine();
        // RAS negates LPS x and y: voxel (0,0,0) sits at (120.25, -33.5, 1402.75) in RAS.
        Assert.Equal(120.25, a[0, 3], 12);
        Assert.Equal(-33.5, a[1, 3], 12);
        Assert.Equal(1402.75, a[2, 3], 12);
    }

    [Theory]
    [InlineData(1, 1, 1, "LPS")]
    [InlineData(-1, -1, 1, "RAS")]
    [InlineData(-1, 1, -1, "RPI")]
    public void OrientationCodeNamesWhereEachAxisPoints(int sx, int sy, int sz, string expected)
    {
        var g = new ImageGeometry(new Shape3(2, 2, 2), Vec3.One, Vec3.Zero, Mat3.Diagonal(new Vec3(sx, sy, sz)));
        Assert.Equal(expected, g.OrientationCode);
    }

    [Fact]
    public void WorldToIndexInvertsIndexToWorld()
    {
        var dir = Mat3.FromColumns(new Vec3(0, 1, 0), new Vec3(0, 0, 1), new Vec3(1, 0, 0));
        var g = new ImageGeometry(new Shape3(4, 5, 6), new Vec3(1.5, 2, 3), new Vec3(1, 2, 3), dir);
        var w = g.IndexToWorld(3, 4, 5);
        Assert.Equal(new Vec3(1 + 15, 2 + 4.5, 3 + 8), w);
        var idx = g.WorldToIndex(w);
        Assert.True((idx - new Vec3(3, 4, 5)).MaxAbs < 1e-12);
    }

    [Fact]
    public void PolarDecompositionRecoversRotationFromShearedMatrix()
    {
        var rot = Mat3.FromColumns(new Vec3(0.6, 0.8, 0), new Vec3(-0.8, 0.6, 0), new Vec3(0, 0, 1));
        var sheared = rot * new Mat3(1, 0.001, 0, 0, 1, 0, 0, 0, 1);
        var q = sheared.NearestOrthogonal();
        Assert.True((q * q.Transpose()).MaxAbsDifference(Mat3.Identity) < 1e-12);
        Assert.True(q.MaxAbsDifference(rot) < 1e-3);
    }

    [Fact]
    public void ConversionSaturatesAndRounds()
    {
        var g = new ImageGeometry(new Shape3(4, 1, 1), Vec3.One);
        var v = new Volume<float>(g, [-1024.6f, 2.5f, 300f, 1e9f]);
        var asByte = v.ConvertTo<byte>();
        Assert.Equal(new byte[] { 0, 3, 255, 255 }, asByte.Data);
        var asShort = v.ConvertTo<short>();
        Assert.Equal(new short[] { -1025, 3, 300, short.MaxValue }, asShort.Data);
    }

    [Fact]
    public void Uninitialized_volumes_have_the_geometry_and_the_size_limit_of_zeroed_ones()
    {
        var geometry = new ImageGeometry(new Shape3(5, 4, 3), new Vec3(1, 2, 3));
        var v = Volume<float>.Uninitialized(geometry);
        Assert.Equal(geometry, v.Geometry);
        Assert.Equal(60, v.Data.Length);

        // Past one array's reach both ways of allocating refuse, naming the shape, instead of overflowing.
        var huge = new ImageGeometry(new Shape3(2048, 2048, 1024), new Vec3(1, 1, 1));
        Assert.Contains("2048", Assert.Throws<ArgumentException>(() => Volume<byte>.Uninitialized(huge)).Message);
        Assert.Contains("2048", Assert.Throws<ArgumentException>(() => new Volume<byte>(huge)).Message);
    }
}
