using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Instances;

namespace CtSegLabel.Inference.Tests.Instances;

public class WindowInstancesTests
{
    private const int Dims = 4;
    private const byte Thoracic = 3, RibLeft = 5;

    /// <summary>A 16×16×24 window: two thoracic vertebrae (blocks) with well-separated embeddings, and three left
    /// ribs (rods) of which two are far apart in space but share one embedding — as when the network fails to
    /// tell them apart. Embeddings carry ±0.3 noise; the instance means are 10 apart (δ = 3).</summary>
    private static (Volume<byte> Semantic, float[] Embeddings, int[] Truth) Window()
    {
        var semantic = new Volume<byte>(new ImageGeometry(new Shape3(16, 16, 24), new Vec3(1, 1, 1)));
        var truth = new int[semantic.Data.Length];
        var embeddings = new float[Dims * semantic.Data.Length];
        var noise = new Random(7);
        void Paint(int i0, int i1, int j0, int j1, int k0, int k1, byte cls, int instance, int embeddingCentre)
        {
            for (int k = k0; k < k1; k++)
                for (int j = j0; j < j1; j++)
                    for (int i = i0; i < i1; i++)
                    {
                        long v = semantic.Shape.Index(i, j, k);
                        semantic.Data[v] = cls;
                        truth[v] = instance;
                        for (int c = 0; c < Dims; c++)
                            embeddings[c * semantic.Data.Length + v] = (c == embeddingCentre % Dims ? 10f * (1 + embeddingCentre / Dims) : 0f)
                                + (float)(noise.NextDouble() * 0.6 - 0.3);
                    }
        }
        Paint(2, 8, 2, 8, 1, 9, Thoracic, 1, 0);    // vertebra A
        Paint(2, 8, 2, 8, 11, 19, Thoracic, 2, 1);  // vertebra B (disc gap of 2 slices)
        Paint(11, 13, 0, 16, 2, 4, RibLeft, 3, 2);  // rib C
        Paint(11, 13, 0, 16, 20, 22, RibLeft, 4, 2); // rib D: same embedding as C, far away in space
        Paint(14, 16, 0, 16, 10, 12, RibLeft, 5, 3); // rib E
        return (semantic, embeddings, truth);
    }

    [Fact]
    public void Clusters_each_group_and_splits_ribs_that_share_an_embedding_but_not_a_place()
    {
        var (semantic, embeddings, truth) = Window();
        var groups = new Dictionary<InstanceGroup, int> { [InstanceGroup.ThoracicVertebra] = Thoracic, [InstanceGroup.RibLeft] = RibLeft };

        var found = WindowInstances.Find(semantic, embeddings, Dims, groups, new ClusteringOptions(Seed: 3));

        AssertSamePartition(found[InstanceGroup.ThoracicVertebra].Data, truth, semantic.Data, Thoracic, expectedInstances: 2);
        AssertSamePartition(found[InstanceGroup.RibLeft].Data, truth, semantic.Data, RibLeft, expectedInstances: 3);
    }

    [Fact]
    public void Rejects_embeddings_that_do_not_cover_the_window()
    {
        var (semantic, embeddings, _) = Window();
        var groups = new Dictionary<InstanceGroup, int> { [InstanceGroup.RibLeft] = RibLeft };
        var e = Assert.Throws<ArgumentException>(() => WindowInstances.Find(semantic, embeddings[..^1], Dims, groups));
        Assert.Contains("embedding values", e.Message);
    }

    /// <summary>Found ids and true ids must be in one-to-one correspondence on the class's voxels, ids elsewhere 0.</summary>
    private static void AssertSamePartition(int[] found, int[] truth, byte[] semantic, byte cls, int expectedInstances)
    {
        var pairs = new HashSet<(int Found, int True)>();
        for (int v = 0; v < found.Length; v++)
        {
            if (semantic[v] != cls) { Assert.Equal(0, found[v]); continue; }
            Assert.NotEqual(0, found[v]);
            pairs.Add((found[v], truth[v]));
        }
        Assert.Equal(expectedInstances, pairs.Count);
        Assert.Equal(expectedInstances, pairs.Select(p => p.Found).Distinct().Count());
        Assert.Equal(expectedInstances, pairs.Select(p => p.True).Distinct().Count());
    }
}
