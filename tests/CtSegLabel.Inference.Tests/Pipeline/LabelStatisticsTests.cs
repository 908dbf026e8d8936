using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Pipeline;

namespace CtSegLabel.Inference.Tests.Pipeline;

public class LabelStatisticsTests
{
    [Fact]
    public void Voxels_millilitres_and_mean_HU_by_hand()
    {
        var grid = new ImageGeometry(new Shape3(4, 2, 3), new Vec3(2, 2.5, 4)); // 20 mm³ per voxel
        var labels = new Volume<ushort>(grid);
        var ct = new Volume<short>(grid);
        for (int n = 0; n < 24; n++) ct.Data[n] = (short)(10 * n);
        labels.Data[0] = 1; labels.Data[5] = 1; labels.Data[23] = 1; // HU 0, 50, 230
        labels.Data[7] = 2;                                            // HU 70

        var measures = LabelStatistics.Measure(labels, 3, ct);
        var stats = LabelStatistics.Summarise([(1, "a", 1), (2, "b", 2), (3, "c", 3)], measures, grid.Spacing);

        Assert.Equal([20L, 3, 1, 0], measures.Voxels);
        Assert.Equal([0.0, 280, 70, 0], measures.IntensitySums); // background's is not summed
        Assert.Equal(("a", 3L, 0.06, 280 / 3.0), (stats[0].Name, stats[0].Voxels, stats[0].VolumeMl, stats[0].MeanHu));
        Assert.Equal(70, stats[1].MeanHu);
        Assert.Equal((0L, 0.0, 0.0), (stats[2].Voxels, stats[2].VolumeMl, stats[2].MeanHu)); // empty: zeros, never NaN
        Assert.Equal([0.0, 0, 0, 0], LabelStatistics.Measure(labels, 3, null).IntensitySums);
    }
}
