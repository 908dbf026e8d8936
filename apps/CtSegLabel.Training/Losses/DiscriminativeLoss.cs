using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace CtSegLabel.Training.Losses;

/// <summary>
/// De Brabandere et al.'s discriminative loss as the thesis weights it (§3.5), on the embeddings of the voxels of the
/// four instance classes only. Per batch item, over its C clusters (instance ids, unique per image across ribs and
/// vertebrae): variance = mean over clusters of the mean over its voxels of [‖μc − xi‖ − δv]+²; distance = mean over
/// ordered pairs c ≠ c′ of [2δd − ‖μc − μc′‖]+² (none with one cluster); regularisation = mean ‖μc‖; Euclidean
/// norms. An item without instance voxels contributes 0; the result is the mean over the batch's items.
/// </summary>
public sealed class DiscriminativeLoss
{
    public DiscriminativeLoss(DiscriminativeLossOptions? options = null) => Options = options ?? new DiscriminativeLossOptions();

    public DiscriminativeLossOptions Options { get; }

    /// <summary>The loss as a scalar float32 tensor on the embeddings' device; the caller disposes it.</summary>
    /// <param name="embedding">(B, E, spatial…), any float type; computed in float32.</param>
    /// <param name="instance">(B, spatial…) integer instance id per voxel, 0 for voxels of no instance class.</param>
    public Tensor Compute(Tensor embedding, Tensor instance)
    {
        if (embedding.dim() < 3)
            throw new ArgumentException($"embedding must be (B, E, spatial…), got {embedding.dim()} dimensions");
        long batch = embedding.shape[0], dims = embedding.shape[1];
        if (instance.dim() != embedding.dim() - 1 || instance.shape[0] != batch
            || !instance.shape.Skip(1).SequenceEqual(embedding.shape.Skip(2)))
            throw new ArgumentException($"instance shape ({string.Join(", ", instance.shape)}) does not match embedding ({string.Join(", ", embedding.shape)}) without the channel axis");

        using var scope = NewDisposeScope();
        var x = embedding.to_type(ScalarType.Float32).reshape(batch, dims, -1);
        var ids = instance.to(embedding.device).to_type(ScalarType.Int64).reshape(batch, -1);
        var total = zeros(Array.Empty<long>(), dtype: ScalarType.Float32, device: embedding.device);
        using var zero = 0.ToScalar();
        for (long b = 0; b < batch; b++)
        {
            var voxels = ids[b].gt(zero).nonzero().reshape(-1);
            if (voxels.shape[0] == 0) continue;
            total = total + Item(x[b].index_select(1, voxels).t(), ids[b].index_select(0, voxels));
        }
        using var items = ((double)batch).ToScalar();
        return scope.MoveToOuter(total / items);
    }

    /// <summary>One item's loss from its instance voxels' embeddings (N, E) and ids (N).</summary>
    private Tensor Item(Tensor x, Tensor ids)
    {
        var (clusters, inverse, counts) = ids.unique(sorted: true, return_inverse: true, return_counts: true);
        long k = clusters.shape[0];
        var n = counts!.to_type(ScalarType.Float32);
        // Explicit Scalars, disposed after the ops (docs/models.md, "Scalars"): an implicit one can be finalized mid-call.
        using var one = 1.ToScalar();
        using var deltaVariance = Options.DeltaVariance.ToScalar();
        using var varianceWeight = Options.VarianceWeight.ToScalar();
        using var regularisationWeight = Options.RegularisationWeight.ToScalar();
        var means = zeros(k, x.shape[1], dtype: x.dtype, device: x.device).index_add(0, inverse!, x, one) / n.unsqueeze(1);

        var spread = (x - means.index_select(0, inverse!)).norm(1);
        var pull = relu(spread - deltaVariance).square();
        var variance = (zeros(k, dtype: x.dtype, device: x.device).index_add(0, inverse!, pull, one) / n).mean();

        var loss = variance * varianceWeight + means.norm(1).mean() * regularisationWeight;
        if (k > 1)
        {
            using var margin = (2 * Options.DeltaDistance).ToScalar();
            using var distanceWeight = Options.DistanceWeight.ToScalar();
            // Differences then norm (not cdist): the norm's gradient is defined as 0 where two means coincide.
            var apart = (means.unsqueeze(1) - means.unsqueeze(0)).norm(2);
            var offDiagonal = eye(k, dtype: ScalarType.Bool, device: x.device).logical_not();
            var push = relu(margin - apart.masked_select(offDiagonal)).square();
            loss = loss + push.mean() * distanceWeight;
        }
        return loss;
    }
}
