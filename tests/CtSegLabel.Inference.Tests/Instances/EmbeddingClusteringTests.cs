using CtSegLabel.Inference.Instances;

namespace CtSegLabel.Inference.Tests.Instances;

public class EmbeddingClusteringTests
{
    /// <summary>Clusters of the given sizes around centres 10 apart per axis (far beyond δ = 3), with noise of at
    /// most ±0.5 per dimension so every point lies within δ of its cluster mean (√(dims·0.25) &lt; 3 for dims ≤ 32).</summary>
    internal static (float[] Points, int[] Truth) Synthetic(int dims, int[] sizes, int seed)
    {
        var random = new Random(seed);
        int n = sizes.Sum();
        var points = new float[n * dims];
        var truth = new int[n];
        var order = Enumerable.Range(0, n).OrderBy(_ => random.Next()).ToArray(); // interleave clusters
        int q = 0;
        for (int c = 0; c < sizes.Length; c++)
            for (int m = 0; m < sizes[c]; m++, q++)
            {
                int p = order[q];
                truth[p] = c + 1;
                for (int d = 0; d < dims; d++)
                    points[p * dims + d] = (d == c % dims ? 10f * (1 + c / dims) : 0f) + (float)(random.NextDouble() - 0.5);
            }
        return (points, truth);
    }

    /// <summary>True when the two labelings are the same partition (equal up to renaming the ids).</summary>
    internal static bool SamePartition(int[] a, int[] b)
    {
        var ab = new Dictionary<int, int>();
        var ba = new Dictionary<int, int>();
        for (int p = 0; p < a.Length; p++)
        {
            if (ab.TryGetValue(a[p], out int x) && x != b[p]) return false;
            if (ba.TryGetValue(b[p], out int y) && y != a[p]) return false;
            ab[a[p]] = b[p];
            ba[b[p]] = a[p];
        }
        return true;
    }

    [Fact]
    public void Recovers_well_separated_clusters_exactly()
    {
        var (points, truth) = Synthetic(8, [300, 50, 1, 700, 120], seed: 1);
        var labels = EmbeddingClustering.Cluster(points, 8, new ClusteringOptions(Seed: 7));
        Assert.Equal(5, labels.Max());
        Assert.True(SamePartition(truth, labels));
    }

    [Fact]
    public void Thirty_two_dimensions_and_enough_points_for_parallel_chunks()
    {
        var (points, truth) = Synthetic(32, [9000, 4000, 3000, 20, 6000], seed: 2);
        var labels = EmbeddingClustering.Cluster(points, 32);
        Assert.True(SamePartition(truth, labels));
        Assert.Equal(5, labels.Distinct().Count());
    }

    [Fact]
    public void Same_seed_gives_identical_ids_different_seed_the_same_partition()
    {
        var (points, truth) = Synthetic(16, [2000, 3000, 500, 8000], seed: 3);
        var a = EmbeddingClustering.Cluster(points, 16, new ClusteringOptions(Seed: 11));
        var b = EmbeddingClustering.Cluster(points, 16, new ClusteringOptions(Seed: 11));
        var c = EmbeddingClustering.Cluster(points, 16, new ClusteringOptions(Seed: 12));
        Assert.Equal(a, b);
        Assert.True(SamePartition(a, c));
        Assert.True(SamePartition(truth, c));
        Assert.NotEqual(a, c); // another seed starts from other points, so the clusters are found in another order
    }

    [Fact]
    public void Points_closer_than_delta_merge_and_far_points_stay_apart()
    {
        // 1-D: 0, 1, 2 are within δ = 3 of their mean 1; 20 is alone.
        var labels = EmbeddingClustering.Cluster([0f, 1f, 2f, 20f], 1);
        Assert.Equal(labels[0], labels[1]);
        Assert.Equal(labels[1], labels[2]);
        Assert.NotEqual(labels[0], labels[3]);
    }

    [Fact]
    public void Zero_iterations_still_assigns_every_point()
    {
        var (points, _) = Synthetic(4, [10, 10, 10], seed: 4);
        var labels = EmbeddingClustering.Cluster(points, 4, new ClusteringOptions(MaxIterations: 0));
        Assert.DoesNotContain(0, labels);
    }

    [Fact]
    public void Empty_input_and_ragged_input()
    {
        Assert.Empty(EmbeddingClustering.Cluster([], 3));
        Assert.Throws<ArgumentException>(() => EmbeddingClustering.Cluster([1f, 2f], 3));
    }
}
