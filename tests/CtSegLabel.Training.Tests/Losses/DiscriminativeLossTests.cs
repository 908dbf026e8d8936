using CtSegLabel.Training.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace CtSegLabel.Training.Tests.Losses;

public class DiscriminativeLossTests
{
    /// <summary>(1, 2, N, 1, 1) embeddings from 2-D points, and their (1, N, 1, 1) instance ids.</summary>
    private static (Tensor Embedding, Tensor Instance) Points(params (float X, float Y, long Id)[] points) =>
        (tensor(points.Select(p => p.X).Concat(points.Select(p => p.Y)).ToArray()).reshape(1, 2, points.Length, 1, 1),
         tensor(points.Select(p => p.Id).ToArray()).reshape(1, points.Length, 1, 1));

    // Instance 4: (0, 0) and (4, 0), mean (2, 0), both 2 from it → [2 − 1.5]+² = 0.25 each, cluster mean 0.25.
    // Instance 7: (2, 1) alone, mean (2, 1), variance 0. L_var = (0.25 + 0) / 2 = 0.125.
    // ‖(2, 0) − (2, 1)‖ = 1 → [2·3 − 1]+² = 25 for both ordered pairs: L_dist = 25.
    // L_reg = (‖(2, 0)‖ + ‖(2, 1)‖) / 2 = (2 + √5) / 2 ≈ 2.118034.
    // The fourth voxel is no instance (id 0): its wild embedding must not count.
    private static (Tensor, Tensor) ThreePoints() => Points((0, 0, 4), (4, 0, 4), (2, 1, 7), (100, -50, 0));

    private static float Loss(DiscriminativeLossOptions options, (Tensor Embedding, Tensor Instance) c)
    {
        using var loss = new DiscriminativeLoss(options).Compute(c.Embedding, c.Instance);
        return loss.item<float>();
    }

    [Fact]
    public void Hand_computed_variance_distance_and_total_on_three_points()
    {
        using var scope = NewDisposeScope();
        var points = ThreePoints();
        Assert.Equal(0.125, Loss(new(VarianceWeight: 1, DistanceWeight: 0, RegularisationWeight: 0), points), 6);
        Assert.Equal(25.0, Loss(new(VarianceWeight: 0, DistanceWeight: 1, RegularisationWeight: 0), points), 5);
        Assert.Equal((2 + Math.Sqrt(5)) / 2, Loss(new(VarianceWeight: 0, DistanceWeight: 0, RegularisationWeight: 1), points), 6);
        // The thesis's weights: 1.5 · 0.125 + 25 + 1e−4 · 2.118034 ≈ 25.187712.
        Assert.Equal(1.5 * 0.125 + 25 + 1e-4 * (2 + Math.Sqrt(5)) / 2, Loss(new(), points), 4);
    }

    [Fact]
    public void Two_tight_clusters_far_apart_cost_only_the_regularisation()
    {
        using var scope = NewDisposeScope();
        // Points within 0.5 of their means (< δv) and means 20 apart (> 2δd): only L_reg = (10 + 10) / 2 remains.
        var points = Points((10, 0.5f, 1), (10, -0.5f, 1), (-10, 0.5f, 2), (-10, -0.5f, 2), (3, 3, 0));
        Assert.Equal(1e-4 * 10, Loss(new(), points), 7);
    }

    [Fact]
    public void One_cluster_has_no_distance_term_and_no_instance_voxel_costs_nothing()
    {
        using var scope = NewDisposeScope();
        // (0, 0) and (4, 0): variance 0.25, mean (2, 0) → 1.5 · 0.25 + 1e−4 · 2.
        Assert.Equal(1.5 * 0.25 + 1e-4 * 2, Loss(new(), Points((0, 0, 3), (4, 0, 3), (9, 9, 0))), 6);
        Assert.Equal(0f, Loss(new(), Points((0, 0, 0), (4, 0, 0))));
    }

    [Fact]
    public void An_item_without_instances_counts_as_zero_in_the_batch_mean()
    {
        using var scope = NewDisposeScope();
        var (e, i) = ThreePoints();
        var embedding = cat([e, e], 0);
        var instance = cat([i, zeros_like(i)], 0);
        using var loss = new DiscriminativeLoss().Compute(embedding, instance);
        Assert.Equal((1.5 * 0.125 + 25 + 1e-4 * (2 + Math.Sqrt(5)) / 2) / 2, loss.item<float>(), 4);
    }

    [Fact]
    public void The_gradient_reaches_the_instance_embeddings_and_only_them()
    {
        using var scope = NewDisposeScope();
        var (e, i) = ThreePoints();
        var embedding = e.requires_grad_();
        new DiscriminativeLoss().Compute(embedding, i).backward();
        var grad = embedding.grad!.reshape(2, 4);
        // Instance voxels move, the id-0 voxel does not, nothing is NaN (a one-voxel cluster sits exactly on its mean).
        Assert.All(grad.data<float>().ToArray(), g => Assert.True(float.IsFinite(g)));
        Assert.Equal(0f, grad[0, 3].item<float>());
        Assert.Equal(0f, grad[1, 3].item<float>());
        for (int n = 0; n < 3; n++)
            Assert.True(grad[.., n].abs().sum().item<float>() > 0.01, $"voxel {n} got no gradient");
        // The distance term pushes instance 7 (at y = 1) away from instance 4 (at y = 0): its y gradient is negative
        // (descending it increases y): −2 · 5 · 2 (two ordered pairs) / 2 pairs, d‖μ4 − μ7‖/dy7 = 1 → −10, plus the
        // tiny regularisation 1e−4 · ½ · 1/√5.
        Assert.Equal(-10 + 1e-4 * 0.5 / Math.Sqrt(5), grad[1, 2].item<float>(), 4);
    }

    [Fact]
    public void Computing_the_loss_leaves_no_tensor_behind()
    {
        using var embedding = randn([2, 4, 2, 3, 3], requires_grad: true);
        using var instance = randint(0, 4, [2, 2, 3, 3]);
        var loss = new DiscriminativeLoss();
        using (var warm = loss.Compute(embedding, instance)) { }
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (var value = loss.Compute(embedding, instance)) { }
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
