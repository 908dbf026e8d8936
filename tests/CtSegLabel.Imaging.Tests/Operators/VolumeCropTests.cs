using CtSegLabel.Imaging.Operators;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Tests.Operators;

public class VolumeCropTests
{
    [Fact]
    public void UncropPutsTheBoxBackAndFillsTheRest()
    {
        var g = TestVolumes.Oblique(new Shape3(11, 9, 7));
        var labels = TestVolumes.Random(g, 1, r => (byte)r.Next(1, 200));
        var box = new VoxelBox(2, 9, 1, 4, 3, 7);
        var part = VolumeCrop.Crop(labels, box);
        var back = VolumeCrop.Uncrop(part, g, box, fill: (byte)250);

        Assert.True(back.Geometry.SameGrid(g, 1e-12));
        for (int k = 0; k < g.Shape.Z; k++)
            for (int j = 0; j < g.Shape.Y; j++)
                for (int i = 0; i < g.Shape.X; i++)
                    Assert.Equal(box.Contains(i, j, k) ? labels[i, j, k] : (byte)250, back[i, j, k]);
    }

    [Fact]
    public void UncropRefusesAPartThatIsNotOnTheBoxGrid()
    {
        var g = new ImageGeometry(new Shape3(10, 10, 10), Vec3.One);
        var box = new VoxelBox(2, 5, 2, 5, 2, 5);
        var part = VolumeCrop.Crop(new Volume<int>(g), box);
        var shifted = part.WithGeometryTyped(part.Geometry with { Origin = part.Geometry.Origin + new Vec3(0.5, 0, 0) });
        Assert.Throws<ArgumentException>(() => VolumeCrop.Uncrop(shifted, g, box));
        Assert.Throws<ArgumentException>(() => VolumeCrop.Uncrop(part, g, new VoxelBox(2, 5, 2, 5, 3, 6)));
    }

    [Fact]
    public void CropRefusesEmptyOrOutsideBoxes()
    {
        var v = new Volume<short>(new ImageGeometry(new Shape3(4, 4, 4), Vec3.One));
        Assert.Throws<ArgumentException>(() => VolumeCrop.Crop(v, new VoxelBox(0, 5, 0, 4, 0, 4)));
        Assert.Throws<ArgumentException>(() => VolumeCrop.Crop(v, new VoxelBox(2, 2, 0, 4, 0, 4)));
        Assert.Throws<ArgumentException>(() => VolumeCrop.Crop(v, new VoxelBox(-1, 2, 0, 4, 0, 4)));
    }
}
