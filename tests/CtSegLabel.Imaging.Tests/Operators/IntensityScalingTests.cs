using CtSegLabel.Imaging.Operators;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Tests.Operators;

public class IntensityScalingTests
{
    private static readonly ImageGeometry Row = TestVolumes.Oblique(new Shape3(6, 1, 1));

    [Fact]
    public void MapsMinus700To0And1400To1LinearlyWithoutClippingByDefault()
    {
        var hu = new Volume<short>(Row, [-700, 1400, 350, -1000, 3000, 0]);
        var scaled = IntensityScaling.Apply(hu);
        Assert.Equal(Row, scaled.Geometry);
        Assert.Equal(0f, scaled.Data[0]);
        Assert.Equal(1f, scaled.Data[1]);
        Assert.Equal(0.5f, scaled.Data[2]);
        Assert.Equal((float)(-300.0 / 2100), scaled.Data[3]); // air stays below lung
        Assert.Equal((float)(3700.0 / 2100), scaled.Data[4]);
        Assert.Equal((float)(700.0 / 2100), scaled.Data[5]);
    }

    [Fact]
    public void ClipLimitsToTheUnitInterval()
    {
        var hu = new Volume<float>(Row, [-1024f, 3071f, 350f, -700f, 1400f, float.NaN]);
        var scaled = IntensityScaling.Apply(hu, clip: true);
        Assert.Equal([0f, 1f, 0.5f, 0f, 1f], scaled.Data[..5]);
        Assert.True(float.IsNaN(scaled.Data[5]));
    }

    [Fact]
    public void RejectsAnEmptyRange() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => IntensityScaling.Apply(new Volume<short>(Row), 100, 100));
}
