using CtSegLabel.Imaging.Operators;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Tests.Operators;

public class ReorientationTests
{
    private static Volume<int> Indexed(ImageGeometry g)
    {
        var v = new Volume<int>(g);
        for (int n = 0; n < v.Data.Length; n++) v.Data[n] = n;
        return v;
    }

    [Theory]
    [InlineData("RAS")]
    [InlineData("LPS")]
    [InlineData("SAR")]
    [InlineData("IPL")]
    [InlineData("ail")]
    public void EveryVoxelKeepsItsValueAndWorldPosition(string code)
    {
        var g = TestVolumes.Oblique(new Shape3(5, 4, 3));
        var v = Indexed(g);
        var r = Reorientation.To(v, code);
        Assert.Equal(code.ToUpperInvariant(), r.Geometry.OrientationCode);
        Assert.Equal(g.Shape.VoxelCount, r.Shape.VoxelCount);
        var s = g.Shape;
        for (int k = 0; k < r.Shape.Z; k++)
            for (int j = 0; j < r.Shape.Y; j++)
                for (int i = 0; i < r.Shape.X; i++)
                {
                    int n = r[i, j, k];
                    var source = g.IndexToWorld(n % s.X, n / s.X % s.Y, n / (s.X * s.Y));
                    Assert.True((r.Geometry.IndexToWorld(i, j, k) - source).MaxAbs < 1e-9, $"{code}: voxel ({i},{j},{k})");
                }
        var corners = g.CornerCentres().ToList();
        Assert.All(r.Geometry.CornerCentres(), c => Assert.Contains(corners, o => (o - c).MaxAbs < 1e-9));
    }

    [Fact]
    public void RasToLpsFlipsTheFirstTwoAxesAndBackIsTheIdentity()
    {
        var ras = new ImageGeometry(new Shape3(3, 2, 2), new Vec3(1, 2, 3), new Vec3(10, 20, 30), Mat3.Diagonal(new Vec3(-1, -1, 1)));
        Assert.Equal("RAS", ras.OrientationCode);
        var v = Indexed(ras);
        var lps = Reorientation.To(v, "LPS");
        Assert.Equal(Mat3.Identity, lps.Geometry.Direction);
        Assert.Equal(v[2, 1, 0], lps[0, 0, 0]);
        Assert.Equal(v[0, 0, 1], lps[2, 1, 1]);
        Assert.Equal(new Vec3(8, 18, 30), lps.Geometry.Origin);

        var back = Reorientation.To(lps, "RAS");
        Assert.Equal(v.Data, back.Data);
        Assert.True(back.Geometry.SameGrid(ras, 1e-12));
        Assert.Equal(ras.Direction, back.Geometry.Direction);
    }

    [Fact]
    public void PermutationSwapsShapeAndSpacing()
    {
        var g = new ImageGeometry(new Shape3(4, 5, 6), new Vec3(0.5, 0.7, 3));
        var r = Reorientation.To(new Volume<byte>(g), "SPL");
        Assert.Equal(new Shape3(6, 5, 4), r.Shape);
        Assert.Equal(new Vec3(3, 0.7, 0.5), r.Geometry.Spacing);
    }

    [Theory]
    [InlineData("LLS")]
    [InlineData("LP")]
    [InlineData("XYZ")]
    [InlineData("LPSI")]
    public void InvalidCodesAreRefused(string code) =>
        Assert.Throws<ArgumentException>(() => Reorientation.Geometry(new ImageGeometry(new Shape3(2, 2, 2), Vec3.One), code));
}
