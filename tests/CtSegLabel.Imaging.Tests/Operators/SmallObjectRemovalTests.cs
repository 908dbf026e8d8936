using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Operators;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Tests.Operators;

public class SmallObjectRemovalTests
{
    private static void Fill(Volume<byte> v, VoxelBox box, byte value)
    {
        for (int k = box.K0; k < box.K1; k++)
            for (int j = box.J0; j < box.J1; j++)
                for (int i = box.I0; i < box.I1; i++)
                    v[i, j, k] = value;
    }

    [Fact]
    public void RemovesSmallInteriorPartsButKeepsLargeOnesEdgeTouchingOnesAndUnthresholdedClasses()
    {
        var v = new Volume<byte>(new ImageGeometry(new Shape3(20, 20, 12), new Vec3(1, 1, 3)));
        Fill(v, new VoxelBox(1, 6, 1, 6, 3, 8), 1);    // class 1, 125 voxels: large, kept
        Fill(v, new VoxelBox(10, 12, 10, 12, 5, 7), 1); // class 1, 8 voxels, interior: removed
        Fill(v, new VoxelBox(15, 17, 2, 4, 0, 1), 1);   // class 1, 4 voxels, touches k = 0: kept
        Fill(v, new VoxelBox(15, 17, 6, 8, 11, 12), 1); // class 1, 4 voxels, touches k = Z-1: kept
        Fill(v, new VoxelBox(2, 4, 14, 16, 5, 6), 2);   // class 2, 4 voxels, threshold 5: removed
        Fill(v, new VoxelBox(8, 10, 14, 16, 5, 7), 2);  // class 2, 8 voxels: kept
        Fill(v, new VoxelBox(14, 15, 14, 15, 6, 7), 3); // class 3, 1 voxel, no threshold: untouched
        var thresholds = new Dictionary<int, long> { [1] = 50, [2] = 5 };

        var original = v.Clone();
        var result = SmallObjectRemoval.Apply(v, thresholds);

        Assert.Equal(2, result.ComponentsRemoved);
        Assert.Equal(12, result.VoxelsRemoved);
        Assert.Equal(original.Data, v.Data); // the input is not modified
        for (int k = 0; k < 12; k++)
            for (int j = 0; j < 20; j++)
                for (int i = 0; i < 20; i++)
                {
                    bool removed = new VoxelBox(10, 12, 10, 12, 5, 7).Contains(i, j, k) || new VoxelBox(2, 4, 14, 16, 5, 6).Contains(i, j, k);
                    Assert.Equal(removed ? (byte)0 : original[i, j, k], result.Labels[i, j, k]);
                }
        Assert.Equal(v.Geometry, result.Labels.Geometry);
    }

    [Fact]
    public void DiagonallyJoinedPiecesCountAsOneObjectByDefault()
    {
        // A thin oblique "rib": 6 voxels joined only through edges. Alone each is below the threshold of 4.
        var v = new Volume<byte>(new ImageGeometry(new Shape3(10, 10, 10), Vec3.One));
        for (int n = 0; n < 6; n++) v[2 + n, 2 + n, 5] = 7;
        var thresholds = new Dictionary<int, long> { [7] = 4 };
        Assert.Equal(0, SmallObjectRemoval.Apply(v, thresholds).ComponentsRemoved);
        Assert.Equal(6, SmallObjectRemoval.Apply(v, thresholds, Connectivity.Faces6).ComponentsRemoved);
    }

    [Theory]
    [InlineData(1.0, 1, 1, 1, 1000)]
    [InlineData(1.0, 2, 2, 2, 125)]   // exactly 125 voxels of 8 mm³
    [InlineData(1.0, 3, 3, 3, 38)]    // 37.04 → the first count not below 1 ml
    [InlineData(0.0, 3, 3, 3, 0)]
    public void MillilitresToVoxels(double ml, double sx, double sy, double sz, long expected) =>
        Assert.Equal(expected, SmallObjectRemoval.VoxelsForMillilitres(ml, new Vec3(sx, sy, sz)));

    [Fact]
    public void ThesisInstanceThresholdsAreTable1() =>
        Assert.Equal(
            new Dictionary<InstanceGroup, long>
            {
                [InstanceGroup.LumbarVertebra] = 3493, [InstanceGroup.ThoracicVertebra] = 1873,
                [InstanceGroup.RibRight] = 42, [InstanceGroup.RibLeft] = 42,
            },
            SmallObjectRemoval.ThesisInstanceThresholds);
}
