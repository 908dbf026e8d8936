using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Inference.Pipeline;

namespace CtSegLabel.Inference.Tests.Pipeline;

public class InstancePlanTests
{
    [Fact]
    public void Embeddings_are_asked_for_only_when_some_group_is_clustered()
    {
        var thesis = ChannelMap.Thesis;

        var cc = InstancePlan.For(thesis, 32, RibMode.ConnectedComponents, null);
        Assert.True(cc.NeedsEmbeddings);
        Assert.Equal(InstanceMethod.Clustering, cc.Methods[InstanceGroup.ThoracicVertebra]);
        Assert.Equal(InstanceMethod.ConnectedComponents, cc.Methods[InstanceGroup.RibLeft]);
        Assert.Equal([InstanceGroup.ThoracicVertebra, InstanceGroup.LumbarVertebra], cc.Clustered.Keys.Order());

        var clustering = InstancePlan.For(thesis, 32, RibMode.Clustering, null);
        Assert.Equal(4, clustering.Clustered.Count);

        // Ribs only, by components: nothing to cluster.
        var ribsOnly = InstancePlan.For(ChannelMap.FromNames(["background", "liver", "rib_left", "rib_right"]), 32, RibMode.ConnectedComponents, null);
        Assert.False(ribsOnly.NeedsEmbeddings);
        Assert.Equal(2, ribsOnly.Methods.Count);

        // No instance decoder: components for every group.
        var noDecoder = InstancePlan.For(thesis, 0, RibMode.Clustering, null);
        Assert.False(noDecoder.NeedsEmbeddings);
        Assert.All(noDecoder.Methods.Values, m => Assert.Equal(InstanceMethod.ConnectedComponents, m));

        // An ROI of organs only splits nothing; one instance group in it splits them all (names stay the same).
        Assert.Empty(InstancePlan.For(thesis, 32, RibMode.Clustering, new HashSet<string> { "liver" }).Methods);
        Assert.Equal(4, InstancePlan.For(thesis, 32, RibMode.Clustering, new HashSet<string> { "liver", "rib_right" }).Methods.Count);
    }
}
