using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Inference.Instances;
using CtSegLabel.Imaging.Volumes;
using static CtSegLabel.Inference.Tests.Instances.StitchingVolumes;

namespace CtSegLabel.Inference.Tests.Instances;

public class InstanceNumberingTests
{
    // Identity direction (LPS): larger k is more superior, so the instance at the highest slices is the top one.
    private static Volume<int> Stack(int count, int firstSlice)
    {
        var map = new Volume<int>(Grid(4, 4, 40));
        for (int n = 0; n < count; n++) Box(map, 10 + n, 0, 2, 0, 2, firstSlice + 3 * n, firstSlice + 3 * n + 2); // id 10 lowest
        return map;
    }

    [Fact]
    public void Thoracolumbar_transition_anchors_the_numbers_and_values_run_1_to_N()
    {
        var organs = new Volume<byte>(Grid(4, 4, 40));
        organs[3, 3, 0] = (byte)CtClassTable.ByName("liver").Value;
        organs[3, 3, 1] = (byte)CtClassTable.Rib(true, 1).Value; // an instance class in the organ map is not an organ
        var result = InstanceNumbering.Build(organs, new Dictionary<InstanceGroup, Volume<int>>
        {
            [InstanceGroup.ThoracicVertebra] = Stack(3, 20),
            [InstanceGroup.LumbarVertebra] = Stack(2, 2),
        });
        var organCount = CtClassTable.GroundTruth.Count(c => !c.IsInstance);
        Assert.Equal(organCount + 5, result.Labels.Count);
        Assert.Equal(Enumerable.Range(1, result.Labels.Count), result.Labels.Select(l => l.Value));
        Assert.Equal(["vertebra_T10", "vertebra_T11", "vertebra_T12", "vertebra_L1", "vertebra_L2"], result.LabelNames.Skip(organCount));
        Assert.Equal(CtClassTable.ByName("liver").Value, result.Map[3, 3, 0]);
        Assert.Equal(0, result.Map[3, 3, 1]);
        Assert.Equal(organCount + 1, result.Map[0, 0, 26]); // top thoracic (slices 26–27) is T10
        Assert.Equal(organCount + 3, result.Map[0, 0, 20]); // lowest thoracic is T12
        Assert.Equal(organCount + 5, result.Map[0, 0, 2]);  // lowest lumbar is L2
        Assert.True(result.Map.Data.Max() <= result.Labels.Count);
    }

    [Fact]
    public void Without_an_anchor_names_are_ordinal_from_the_top_of_the_view()
    {
        var result = InstanceNumbering.Build(new Volume<byte>(Grid(4, 4, 40)), new Dictionary<InstanceGroup, Volume<int>>
        {
            [InstanceGroup.ThoracicVertebra] = Stack(2, 10),
            [InstanceGroup.RibLeft] = Stack(3, 5),
        });
        Assert.Equal(["thoracic_vertebra_1", "thoracic_vertebra_2", "left_rib_1", "left_rib_2", "left_rib_3"], result.LabelNames.TakeLast(5));
    }
}
