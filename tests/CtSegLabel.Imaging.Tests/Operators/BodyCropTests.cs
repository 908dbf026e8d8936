using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Operators;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Tests.Operators;

public class BodyCropTests
{
    private static Volume<short> AirWithBody(ImageGeometry g, VoxelBox body)
    {
        var ct = new Volume<short>(g);
        Array.Fill(ct.Data, (short)-1000);
        for (int k = body.K0; k < body.K1; k++)
            for (int j = body.J0; j < body.J1; j++)
                for (int i = body.I0; i < body.I1; i++)
                    ct[i, j, k] = 40;
        return ct;
    }

    [Fact]
    public void BoxIsTheTightBoundOfVoxelsAboveMinus200AndTheCropKeepsWorldPositions()
    {
        var g = TestVolumes.Oblique(new Shape3(30, 25, 12));
        var ct = AirWithBody(g, new VoxelBox(8, 20, 5, 17, 3, 9));
        ct[2, 6, 4] = -200;  // exactly at the threshold: not body (strictly above)
        ct[25, 22, 10] = -199; // just above: extends the box
        var result = BodyCrop.Apply(ct);

        Assert.True(result.BodyFound);
        Assert.Equal(new VoxelBox(8, 26, 5, 23, 3, 11), result.Box);
        var cropped = result.Cropped;
        Assert.Equal(new Shape3(18, 18, 8), cropped.Shape);
        for (int k = 0; k < cropped.Shape.Z; k++)
            for (int j = 0; j < cropped.Shape.Y; j++)
                for (int i = 0; i < cropped.Shape.X; i++)
                {
                    Assert.Equal(ct[i + 8, j + 5, k + 3], cropped[i, j, k]);
                    var expected = g.IndexToWorld(i + 8, j + 5, k + 3);
                    Assert.True((cropped.Geometry.IndexToWorld(i, j, k) - expected).MaxAbs < 1e-9);
                }
        Assert.Equal(g.Direction, cropped.Geometry.Direction);
        Assert.Equal(g.Spacing, cropped.Geometry.Spacing);
    }

    [Fact]
    public void MarginGrowsTheBoxAndIsClampedToTheVolume()
    {
        var g = new ImageGeometry(new Shape3(20, 20, 10), new Vec3(1, 1, 2));
        var ct = AirWithBody(g, new VoxelBox(1, 15, 5, 10, 4, 9));
        var box = BodyCrop.FindBox(ct, out bool found, margin: 3);
        Assert.True(found);
        Assert.Equal(new VoxelBox(0, 18, 2, 13, 1, 10), box);
        Assert.Throws<ArgumentOutOfRangeException>(() => BodyCrop.FindBox(ct, out _, margin: -1));
    }

    [Fact]
    public void NoBodyGivesTheWholeVolume()
    {
        var g = new ImageGeometry(new Shape3(7, 6, 5), Vec3.One);
        var ct = AirWithBody(g, new VoxelBox(0, 0, 0, 0, 0, 0));
        var result = BodyCrop.Apply(ct);
        Assert.False(result.BodyFound);
        Assert.Equal(VoxelBox.Whole(g.Shape), result.Box);
        Assert.Equal(ct.Data, result.Cropped.Data);
        Assert.True(result.Cropped.Geometry.SameGrid(g, 1e-12));
    }

    [Fact]
    public void FloatThresholdIsExactAndNaNIsNotBody()
    {
        var g = new ImageGeometry(new Shape3(6, 1, 1), Vec3.One);
        var ct = new Volume<float>(g, [-1000f, -200f, float.NaN, -199.99f, -200f, -1000f]);
        Assert.Equal(new VoxelBox(3, 4, 0, 1, 0, 1), BodyCrop.FindBox(ct, out _));
        // A threshold between two floats: -200.00001 is not a float, so -200 must count as above it.
        Assert.Equal(new VoxelBox(1, 5, 0, 1, 0, 1), BodyCrop.FindBox(ct, out _, thresholdHu: -200.000001));
    }

    [Fact]
    public void ThresholdOutsideTheTypeRangeSelectsAllOrNothing()
    {
        var g = new ImageGeometry(new Shape3(4, 3, 2), Vec3.One);
        var bytes = new Volume<byte>(g);
        Assert.Equal(VoxelBox.Whole(g.Shape), BodyCrop.FindBox(bytes, out bool allFound, thresholdHu: -200));
        Assert.True(allFound);
        bytes[1, 1, 1] = 255;
        BodyCrop.FindBox(bytes, out bool noneFound, thresholdHu: 255);
        Assert.False(noneFound);
    }

    [Fact]
    public void RealCtBoxIsTightAndEverythingOutsideIsAir()
    {
        var ct = (Volume<short>)NiftiFile.Read(TestPaths.ExampleCt);
        var result = BodyCrop.Apply(ct);
        var box = result.Box;
        Assert.True(result.BodyFound);
        Assert.True(box.Shape.VoxelCount < ct.Shape.VoxelCount, $"nothing cropped from {ct.Shape}: {box}");

        // Every voxel above -200 HU is inside, and every face of the box touches one (tightness).
        var onFace = new bool[6];
        for (int k = 0; k < ct.Shape.Z; k++)
            for (int j = 0; j < ct.Shape.Y; j++)
                for (int i = 0; i < ct.Shape.X; i++)
                {
                    if (ct[i, j, k] <= -200) continue;
                    Assert.True(box.Contains(i, j, k), $"body voxel ({i},{j},{k}) outside {box}");
                    onFace[0] |= i == box.I0; onFace[1] |= i == box.I1 - 1;
                    onFace[2] |= j == box.J0; onFace[3] |= j == box.J1 - 1;
                    onFace[4] |= k == box.K0; onFace[5] |= k == box.K1 - 1;
                }
        Assert.All(onFace, Assert.True);
        Assert.True(result.Cropped.Geometry.IndexToWorld(0, 0, 0) == ct.Geometry.IndexToWorld(box.I0, box.J0, box.K0));
    }
}
