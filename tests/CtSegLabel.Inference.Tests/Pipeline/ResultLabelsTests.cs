using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Pipeline;

namespace CtSegLabel.Inference.Tests.Pipeline;

public class ResultLabelsTests
{
    private static readonly ImageGeometry Grid = new(new Shape3(4, 4, 30), Vec3.One); // LPS: larger k is higher

    private static (Volume<byte> Organs, Dictionary<InstanceGroup, Volume<int>> Instances) Scene()
    {
        var organs = new Volume<byte>(Grid);
        organs[0, 0, 1] = (byte)CtClassTable.ByName("liver").Value;
        organs[1, 0, 1] = (byte)CtClassTable.ByName("spleen").Value;
        var thoracic = new Volume<int>(Grid);
        thoracic[2, 2, 20] = 1; thoracic[2, 2, 10] = 2;                // two vertebrae, id 1 on top
        var ribs = new Volume<int>(Grid);
        ribs[3, 3, 15] = 1;
        return (organs, new Dictionary<InstanceGroup, Volume<int>> { [InstanceGroup.ThoracicVertebra] = thoracic, [InstanceGroup.RibLeft] = ribs });
    }

    [Fact]
    public void Thesis_network_keeps_the_table_values_of_its_organs_and_numbers_instances_after_them()
    {
        var (organs, instances) = Scene();
        var (map, labels) = ResultLabels.Number(organs, instances, ChannelMap.Thesis, null);

        Assert.Equal(32 + 3, labels.Count);
        Assert.Equal(Enumerable.Range(1, labels.Count), labels.Select(l => l.Entry.Value));
        Assert.Equal(CtClassTable.ByName("liver").Value, map[0, 0, 1]);
        Assert.Equal(["thoracic_vertebra_1", "thoracic_vertebra_2", "left_rib_1"], labels.Skip(32).Select(l => l.Entry.Name));
        Assert.Equal(33, map[2, 2, 20]);
        Assert.Equal(34, map[2, 2, 10]);
        Assert.Equal(35, map[3, 3, 15]);
        Assert.Equal([InstanceGroup.ThoracicVertebra, InstanceGroup.ThoracicVertebra, InstanceGroup.RibLeft], labels.Skip(32).Select(l => l.Group));
    }

    [Fact]
    public void Roi_subset_keeps_values_1_to_N_contiguous_and_matching_the_names()
    {
        var (organs, instances) = Scene();
        var roi = new HashSet<string> { "spleen", "rib_left" };
        var (map, labels) = ResultLabels.Number(organs, instances, ChannelMap.Thesis, roi);

        Assert.Equal(["spleen", "left_rib_1"], labels.Select(l => l.Entry.Name));
        Assert.Equal([1, 2], labels.Select(l => l.Entry.Value));
        Assert.Equal(1, map[1, 0, 1]);
        Assert.Equal(2, map[3, 3, 15]);
        Assert.Equal(0, map[0, 0, 1]);   // liver dropped
        Assert.Equal(0, map[2, 2, 20]);  // vertebrae dropped
        Assert.Equal(new ushort[] { 0, 1, 2 }, map.Data.Distinct().Order());
    }

    [Fact]
    public void A_network_with_fewer_organs_lists_only_its_own()
    {
        var (organs, instances) = Scene();
        var channels = ChannelMap.FromNames(["background", "spleen", "liver", "rib_left"]);
        var (map, labels) = ResultLabels.Number(organs, instances, channels, null);

        Assert.Equal(["liver", "spleen", "left_rib_1"], labels.Select(l => l.Entry.Name)); // table order, not channel order
        Assert.Equal(1, map[0, 0, 1]);
        Assert.Equal(2, map[1, 0, 1]);
        Assert.Equal(3, map[3, 3, 15]);
        Assert.Equal(0, map[2, 2, 20]); // no thoracic channel: nothing to list
        Assert.Equal(["liver", "spleen"], ResultLabels.OrgansOnly(channels, null).Select(l => l.Entry.Name));
    }

    [Fact]
    public void Unknown_roi_names_are_refused_with_the_known_ones()
    {
        var e = Assert.Throws<ArgumentException>(() => ResultLabels.ValidateRoi(ChannelMap.FromNames(["background", "liver"]), new HashSet<string> { "liver", "spleen", "brain" }));
        Assert.Contains("'brain', 'spleen'", e.Message);
        Assert.Contains("(liver)", e.Message);
    }

    [Fact]
    public void Empty_instances_are_dropped_and_the_rest_renumbered()
    {
        var (organs, instances) = Scene();
        var (map, labels) = ResultLabels.Number(organs, instances, ChannelMap.Thesis, null);
        var voxels = new long[labels.Count + 1];
        foreach (var v in map.Data) voxels[v]++;
        voxels[33] = 0; // as if thoracic_vertebra_1 had vanished on the way back
        map[2, 2, 20] = 0;

        var (kept, old) = ResultLabels.DropEmpty(map, labels, voxels);

        Assert.Equal(34, kept.Count);
        Assert.Equal(Enumerable.Range(1, 34), kept.Select(l => l.Entry.Value));
        Assert.Equal(["thoracic_vertebra_2", "left_rib_1"], kept.Skip(32).Select(l => l.Entry.Name));
        Assert.Equal([34, 35], old.Skip(32));
        Assert.Equal(33, map[2, 2, 10]);
        Assert.Equal(34, map[3, 3, 15]);
        Assert.Contains(kept, l => l.Entry.Name == "brain"); // organs stay listed even when empty
    }
}
