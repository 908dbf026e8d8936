using CtSegLabel.Imaging.Operators;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Tests.Operators;

public class ResampleGridTests
{
    [Fact]
    public void ModelGridIs128SquaredWith3mmSlicesAndTheSameOuterEdges()
    {
        var g = TestVolumes.Oblique(new Shape3(301, 187, 33)); // z extent 82.5 mm
        var model = ResampleGrid.ForModel(g);

        Assert.Equal(new Shape3(128, 128, 28), model.Shape); // 82.5 / 3 = 27.5 → 28
        Assert.Equal(301 * 0.8 / 128, model.Spacing.X, 12);
        Assert.Equal(187 * 0.7 / 128, model.Spacing.Y, 12);
        Assert.Equal(82.5 / 28, model.Spacing.Z, 12);
        Assert.Equal(g.Direction, model.Direction);
        Assert.True(TestVolumes.MaxCornerDistance(TestVolumes.OuterCorners(g), TestVolumes.OuterCorners(model)) < 1e-6);
    }

    [Fact]
    public void ExactSpacingModeKeepsThreeMillimetresCentredOnTheSource()
    {
        var g = TestVolumes.Oblique(new Shape3(64, 64, 33));
        var model = ResampleGrid.ForModel(g, 32, 32, 3.0, SliceSpacingMode.ExactSpacing);
        Assert.Equal(28, model.Shape.Z);
        Assert.Equal(3.0, model.Spacing.Z);
        var centre = g.IndexToWorld((g.Shape.X - 1) / 2.0, (g.Shape.Y - 1) / 2.0, (g.Shape.Z - 1) / 2.0);
        var modelCentre = model.IndexToWorld((model.Shape.X - 1) / 2.0, (model.Shape.Y - 1) / 2.0, (model.Shape.Z - 1) / 2.0);
        Assert.True((centre - modelCentre).MaxAbs < 1e-9);
        // 28 × 3 = 84 mm against 82.5 mm: 0.75 mm beyond each end.
        Assert.Equal(g.IndexToWorld(0, 0, -0.5).Z - 0.75, model.IndexToWorld(0, 0, -0.5).Z, 9);
    }

    [Theory]
    [InlineData(1, 1)]   // a single 1 mm slice still gives one slice
    [InlineData(4, 1)]   // 4 mm → round(1.33) = 1
    [InlineData(5, 2)]   // 5 mm → round(1.67) = 2
    [InlineData(300, 100)]
    public void SliceCountIsTheRoundedExtentOverThreeMillimetresAndAtLeastOne(int slices, int expected)
    {
        var g = new ImageGeometry(new Shape3(10, 10, slices), new Vec3(1, 1, 1));
        Assert.Equal(expected, ResampleGrid.ForModel(g).Shape.Z);
    }

    [Fact]
    public void StretchRefusesEmptyShapes() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ResampleGrid.Stretch(TestVolumes.Oblique(new Shape3(4, 4, 4)), new Shape3(0, 2, 2)));
}
