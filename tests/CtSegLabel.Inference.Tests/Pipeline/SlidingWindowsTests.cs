using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Pipeline;

namespace CtSegLabel.Inference.Tests.Pipeline;

public class SlidingWindowsTests
{
    [Theory]
    [InlineData(20, new[] { 0 })]                                   // shorter than a window: one, padded
    [InlineData(64, new[] { 0 })]                                   // exactly one window
    [InlineData(65, new[] { 0, 1 })]                                // one slice more: the second is aligned to the bottom
    [InlineData(96, new[] { 0, 32 })]                               // stride 32 ends exactly at the bottom
    [InlineData(97, new[] { 0, 32, 33 })]
    [InlineData(300, new[] { 0, 32, 64, 96, 128, 160, 192, 224, 236 })] // the 9 windows of a whole body
    public void Windows_of_64_slices_with_half_overlap_end_at_the_bottom(int slices, int[] expected)
    {
        var starts = SlidingWindows.Starts(slices, 64, 0.5);
        Assert.Equal(expected, starts);
        Assert.All(starts.Zip(starts.Skip(1)), p => Assert.InRange(p.Second - p.First, 1, 32));
        Assert.Equal(Math.Max(slices, 64), starts[^1] + 64); // the last window ends at the bottom (or the padding's end)
    }

    [Fact]
    public void Other_overlaps_and_blocks()
    {
        Assert.Equal([0, 48, 96, 136], SlidingWindows.Starts(200, 64, 0.25));
        Assert.Equal([0, 64, 128], SlidingWindows.Starts(192, 64, 0));
        Assert.Equal([0, 1, 2], SlidingWindows.Starts(3, 1, 0.5)); // stride never below one slice
        Assert.Throws<ArgumentOutOfRangeException>(() => SlidingWindows.Starts(10, 64, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SlidingWindows.Starts(0, 64, 0.5));
    }

    [Fact]
    public void A_block_is_the_window_on_its_own_grid_and_padding_has_the_padding_value()
    {
        var geometry = new ImageGeometry(new Shape3(3, 2, 5), new Vec3(2, 2, 3), new Vec3(10, 20, 30), Mat3.Diagonal(new Vec3(1, 1, -1)));
        var model = new Volume<float>(geometry);
        for (int n = 0; n < model.Data.Length; n++) model.Data[n] = n;

        var block = SlidingWindows.Block(model, 2, 4, -7f);

        Assert.Equal(new Shape3(3, 2, 4), block.Shape);
        Assert.Equal(geometry.IndexToWorld(0, 0, 2), block.Geometry.Origin);
        Assert.Equal(geometry.IndexToWorld(2, 1, 4), block.Geometry.IndexToWorld(2, 1, 2)); // same world points
        for (int k = 0; k < 3; k++)
            for (int j = 0; j < 2; j++)
                for (int i = 0; i < 3; i++)
                    Assert.Equal(model[i, j, k + 2], block[i, j, k]);
        Assert.All(block.Data.AsSpan(3 * 6).ToArray(), v => Assert.Equal(-7f, v)); // slice 3 is past the end
        Assert.Equal(3, SlidingWindows.RealSlices(2, 4, 5));
    }
}
