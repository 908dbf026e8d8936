using CtSegLabel.Inference.Instances;
using CtSegLabel.Imaging.Volumes;
using static CtSegLabel.Inference.Tests.Instances.StitchingVolumes;

namespace CtSegLabel.Inference.Tests.Instances;

public class VertebraStitchingTests
{
    /// <summary>Five vertebrae stacked along z; windows of 16 slices every 8, the last one padded past slice 38.</summary>
    private static Volume<int> Spine()
    {
        var truth = new Volume<int>(Grid(8, 8, 38));
        int[][] ranges = [[1, 7], [8, 14], [15, 21], [22, 28], [29, 36]];
        for (int n = 0; n < ranges.Length; n++) Box(truth, n + 1, 2, 6, 2, 6, ranges[n][0], ranges[n][1]);
        return truth;
    }

    [Fact]
    public void Vertebrae_crossing_window_borders_stay_one_instance_each()
    {
        var truth = Spine();
        var windows = new[] { 0, 8, 16, 24 }.Select(s => Cut(truth, s, 16)).ToList();
        var stitched = VertebraStitching.Stitch(windows, truth.Geometry);
        Assert.Equal(truth.Shape, stitched.Shape);
        Assert.Equal(5, Count(stitched));
        Assert.True(EmbeddingClusteringTests.SamePartition(truth.Data, stitched.Data));
        Assert.Equal([1, 2, 3, 4, 5], stitched.Data.Where(v => v != 0).Distinct().Order());
    }

    [Fact]
    public void Instance_cut_by_the_lower_windows_top_keeps_the_upper_prediction_other_instances_are_overwritten()
    {
        var whole = Grid(8, 8, 24);
        var upper = new Volume<int>(Grid(8, 8, 16));
        var lower = new Volume<int>(Grid(8, 8, 16));
        // Upper window: vertebra V at slices 10..14, x 0..4; below it, its own split guess (ids 2, 3) at 15.
        Box(upper, 1, 0, 4, 0, 4, 10, 15);
        Box(upper, 2, 5, 8, 0, 2, 15, 16);
        Box(upper, 3, 5, 8, 2, 4, 15, 16);
        // Lower window (starts at slice 8): sees V cut by its top edge with another shape (x 2..6, slices 8..13),
        // and one instance where the upper window saw two.
        Box(lower, 7, 2, 6, 0, 4, 0, 6);
        Box(lower, 5, 5, 8, 0, 4, 7, 12);
        var stitched = VertebraStitching.Stitch([new InstanceWindow(0, upper), new InstanceWindow(8, lower)], whole);

        int v = stitched[0, 0, 10];
        Assert.NotEqual(0, v);
        for (int k = 10; k < 15; k++) Assert.Equal(v, stitched[1, 1, k]);  // the upper window's V survives whole
        Assert.Equal(0, stitched[5, 1, 9]);                                   // the cut lower instance wrote nothing
        Assert.Equal(0, stitched[4, 1, 8]);
        int w = stitched[5, 0, 15];                                           // lower window overwrote ids 2 and 3
        Assert.NotEqual(0, w);
        Assert.NotEqual(v, w);
        Assert.Equal(w, stitched[5, 3, 15]);
        Assert.Equal(w, stitched[7, 3, 19]);
        Assert.Equal(2, Count(stitched));
    }

    [Fact]
    public void First_window_keeps_instances_touching_its_top()
    {
        var whole = Grid(6, 6, 24);
        var first = new Volume<int>(Grid(6, 6, 16));
        var second = new Volume<int>(Grid(6, 6, 16));
        Box(first, 4, 1, 5, 1, 5, 0, 5);   // touches slice 0
        Box(second, 1, 1, 5, 1, 5, 4, 8);  // another vertebra lower down
        var stitched = VertebraStitching.Stitch([new InstanceWindow(0, first), new InstanceWindow(8, second)], whole);
        Assert.NotEqual(0, stitched[1, 1, 0]);
        Assert.Equal(stitched[1, 1, 0], stitched[4, 4, 4]);
        Assert.Equal(4 * 4 * 5, stitched.Data.Count(x => x == stitched[1, 1, 0]));
        Assert.Equal(2, Count(stitched));
    }

    [Fact]
    public void Windows_must_be_in_sweep_order_and_on_the_grid()
    {
        var whole = Grid(6, 6, 24);
        var w = new Volume<int>(Grid(6, 6, 16));
        Assert.Throws<ArgumentException>(() => VertebraStitching.Stitch([new InstanceWindow(8, w), new InstanceWindow(0, w)], whole));
        Assert.Throws<ArgumentException>(() => VertebraStitching.Stitch([new InstanceWindow(0, new Volume<int>(Grid(5, 6, 16)))], whole));
    }
}
