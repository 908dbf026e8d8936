using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Pipeline;

namespace CtSegLabel.Inference.Tests.Pipeline;

public class SmallObjectFilterTests
{
    [Fact]
    public void Thesis_thresholds_on_the_thesis_grid_and_converted_on_others()
    {
        var thesis = new PreprocessingParameters();
        Assert.Equal(3493, SmallObjectFilter.InstanceThreshold(InstanceGroup.LumbarVertebra, thesis));
        Assert.Equal(1873, SmallObjectFilter.InstanceThreshold(InstanceGroup.ThoracicVertebra, thesis));
        Assert.Equal(42, SmallObjectFilter.InstanceThreshold(InstanceGroup.RibLeft, thesis));
        // 64² in-plane holds a quarter of the voxels; 1.5 mm slices twice as many.
        Assert.Equal(468, SmallObjectFilter.InstanceThreshold(InstanceGroup.ThoracicVertebra, thesis with { InPlaneSize = 64 })); // 1873 / 4 = 468.25
        Assert.Equal(84, SmallObjectFilter.InstanceThreshold(InstanceGroup.RibRight, thesis with { SliceSpacingMm = 1.5 }));
        var own = new PipelineSettings { Channels = ChannelMap.Thesis, InstanceThresholds = new Dictionary<InstanceGroup, long> { [InstanceGroup.RibLeft] = 5 } };
        Assert.Equal(5, SmallObjectFilter.InstanceThresholds(own)[InstanceGroup.RibLeft]);
        Assert.False(SmallObjectFilter.InstanceThresholds(own).ContainsKey(InstanceGroup.RibRight));
    }

    [Fact]
    public void Instances_are_removed_by_the_size_of_their_class_component_except_at_the_image_ends()
    {
        var map = new Volume<int>(new ImageGeometry(new Shape3(10, 1, 10), Vec3.One));
        // Two touching instances of 3 voxels each: one component of 6, kept at a threshold of 5.
        for (int i = 0; i < 3; i++) { map[i, 0, 4] = 1; map[i + 3, 0, 4] = 2; }
        // An isolated instance of 3 voxels: removed.
        for (int i = 0; i < 3; i++) map[i, 0, 7] = 3;
        // A 2-voxel instance on the last slice: kept, it may be cut by the field of view.
        map[8, 0, 9] = 4; map[9, 0, 9] = 4;

        var result = SmallObjectFilter.Instances(map, 5);

        Assert.Equal(0, result[0, 0, 7]);
        Assert.Equal(3, result.Data.Where(v => v != 0).Distinct().Count());
        Assert.NotEqual(result[0, 0, 4], result[3, 0, 4]);
        Assert.NotEqual(0, result[8, 0, 9]);
        Assert.Equal([1, 2, 3], result.Data.Where(v => v != 0).Distinct().Order());
    }

    [Fact]
    public void Organs_use_the_checkpoint_statistics_and_refuse_duplicates()
    {
        var organs = new Volume<byte>(new ImageGeometry(new Shape3(10, 1, 10), Vec3.One));
        int liver = CtClassTable.ByName("liver").Value, spleen = CtClassTable.ByName("spleen").Value;
        for (int i = 0; i < 4; i++) { organs[i, 0, 3] = (byte)liver; organs[i, 0, 6] = (byte)spleen; }
        organs[9, 0, 5] = (byte)liver;
        var stats = new[] { new ClassVolumeStatistics(liver, "liver", 20, 4) };

        var result = SmallObjectFilter.Organs(organs, stats);

        Assert.Equal(0, result[9, 0, 5]);              // 1 voxel < 4
        Assert.Equal(liver, result[0, 0, 3]);          // 4 voxels is not below 4
        Assert.Equal(spleen, result[0, 0, 6]);         // no statistics: untouched
        Assert.Throws<ArgumentException>(() => SmallObjectFilter.Organs(organs, [stats[0], stats[0]]));
    }
}
