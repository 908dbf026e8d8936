using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Pipeline;

namespace CtSegLabel.Inference.Tests.Pipeline;

public class BlendedInstanceMaskTests
{
    private static readonly ImageGeometry Grid = new(new Shape3(12, 3, 3), Vec3.One);

    [Fact]
    public void Mask_voxels_take_the_nearest_id_along_the_mask_and_unlabelled_components_become_new_instances()
    {
        var semantic = new Volume<byte>(Grid);
        var stitched = new Volume<int>(Grid);
        // Row j = 1, k = 1:  i = 0..4 class 7 (a bar), i = 6..7 class 7 (a separate piece), i = 9..11 class 7.
        for (int i = 0; i < 12; i++) if (i is <= 4 or 6 or 7 or >= 9) semantic[i, 1, 1] = 7;
        semantic[5, 1, 1] = 3;          // another class between the bar and the piece
        stitched[0, 1, 1] = 4;          // the bar's left end: instance 4
        stitched[4, 1, 1] = 9;          // its right end: instance 9
        stitched[5, 1, 1] = 9;          // a stitched voxel outside the mask is dropped
        stitched[9, 1, 1] = 2;          // the last piece: instance 2, one voxel labelled
        // The piece at i = 6..7 holds no stitched id: it becomes a new instance, not 9 across the gap of class 3.

        var result = BlendedInstanceMask.Assign(stitched, semantic, 7);

        int Id(int i) => result[i, 1, 1];
        Assert.Equal(Id(0), Id(1));                   // i = 1 is nearer to i = 0 ...
        Assert.Equal(Id(0), Id(2));                   // ... i = 2 is as near to both: the first queued (raster order) wins
        Assert.Equal(Id(4), Id(3));                   // i = 3 is nearer to i = 4
        Assert.NotEqual(Id(0), Id(4));
        Assert.Equal(0, Id(5));                       // outside the mask
        Assert.Equal(Id(6), Id(7));
        Assert.NotEqual(0, Id(6));
        Assert.DoesNotContain(Id(6), new[] { Id(0), Id(4), Id(9) });
        Assert.Equal(Id(9), Id(11));
        Assert.Equal(4, result.Data.Where(v => v != 0).Distinct().Count());
        Assert.Equal([1, 2, 3, 4], result.Data.Where(v => v != 0).Distinct().Order()); // ids compact 1..n
        Assert.Equal(semantic.Data.Count(v => v == 7), result.Data.Count(v => v != 0)); // exactly the mask
    }
}
