using CtSegLabel.Inference.Instances;
using CtSegLabel.Imaging.Volumes;
using static CtSegLabel.Inference.Tests.Instances.StitchingVolumes;

namespace CtSegLabel.Inference.Tests.Instances;

public class RibStitchingTests
{
    /// <summary>A 2×2 tube sloping in x as it runs down slices [k0, k1), like a rib seen in a coronal band.</summary>
    private static void Tube(Volume<int> v, int id, int i0, int j0, int k0, int k1)
    {
        for (int k = k0; k < k1; k++) Box(v, id, i0 + k / 6, i0 + k / 6 + 2, j0, j0 + 2, k, k + 1);
    }

    [Fact]
    public void Rib_crossing_three_windows_stays_one_even_when_a_window_breaks_it()
    {
        var truth = new Volume<int>(Grid(12, 8, 40));
        Tube(truth, 1, 1, 1, 2, 38);
        Tube(truth, 2, 1, 5, 20, 30); // a second rib lower down, apart in j
        var windows = new[] { 0, 8, 16, 24 }.Select(s => Cut(truth, s, 16)).ToList();
        // The third window misses one slice of the long rib: two pieces, each joined to a neighbour window.
        var broken = windows[2].Instances;
        Box(broken, 0, 0, 12, 0, 4, 20 - 16, 21 - 16);
        windows[2] = windows[2] with { Instances = WindowInstances.SplitNonContiguous(broken) };
        Assert.Equal(3, Count(windows[2].Instances));

        var stitched = RibStitching.Stitch(windows, truth.Geometry);
        Assert.Equal(2, Count(stitched));
        int rib = stitched[1, 1, 2];
        for (int k = 2; k < 38; k++) Assert.Equal(rib, stitched[1 + k / 6, 1, k]);
        Assert.NotEqual(rib, stitched[1 + 20 / 6, 5, 20]);
    }

    /// <summary>Upper window: rib A, plus <paramref name="spill"/> voxels of A where rib B lies in the overlap.
    /// Lower window: A and B correctly apart.</summary>
    private static Volume<int> TouchingRibs(int spill)
    {
        var whole = Grid(10, 4, 24);
        var upper = new Volume<int>(Grid(10, 4, 16));
        var lower = new Volume<int>(Grid(10, 4, 16));
        Box(upper, 1, 0, 2, 0, 2, 0, 16);
        Box(lower, 1, 0, 2, 0, 2, 0, 16);
        Box(lower, 2, 6, 8, 0, 2, 0, 16);
        // B's 2×2 cross-section, slice by slice from the top of the overlap, counted out voxel by voxel.
        int left = spill;
        for (int k = 8; k < 16 && left > 0; k++)
            for (int j = 0; j < 2 && left > 0; j++)
                for (int i = 6; i < 8 && left > 0; i++, left--) upper[i, j, k] = 1;
        return RibStitching.Stitch([new InstanceWindow(0, upper), new InstanceWindow(8, lower)], whole);
    }

    [Fact]
    public void Two_ribs_sharing_ten_voxels_stay_two()
    {
        var stitched = TouchingRibs(spill: 10);
        Assert.Equal(2, Count(stitched));
        Assert.NotEqual(stitched[0, 0, 12], stitched[6, 0, 12]);
        Assert.Equal(stitched[0, 0, 0], stitched[0, 0, 23]);
    }

    [Fact]
    public void Two_ribs_sharing_eleven_voxels_are_merged()
    {
        var stitched = TouchingRibs(spill: 11);
        Assert.Equal(1, Count(stitched));
    }

    [Fact]
    public void Connected_components_mode_labels_each_rib_of_one_side()
    {
        var semantic = new Volume<byte>(Grid(12, 8, 20));
        for (int k = 0; k < 20; k++)
        {
            semantic[1 + k / 6, 1, k] = 33;
            semantic[1 + k / 6, 5, k] = 33;
            semantic[9, 5, k] = 45; // the other side's class
        }
        var ribs = RibStitching.ByConnectedComponents(semantic, (byte)33);
        Assert.Equal(2, Count(ribs));
        Assert.Equal(0, ribs[9, 5, 3]);
        Assert.Equal(ribs[1, 1, 0], ribs[4, 1, 19]);
    }
}
