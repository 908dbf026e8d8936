using TorchSharp;
using static TorchSharp.torch;

namespace CtSegLabel.Training.Losses;

/// <summary>
/// The thesis's semantic loss (§3.6.1): per batch item and class, 1 − (2Σpg + α)/(Σp + Σg + β) over the block's
/// voxels, p the softmax of the logits, background included; the mean over the classes the item's annotation covers.
/// Classes not covered are multiplied by zero and left out of the mean, so an organ nobody labelled is neither
/// taught as background nor a source of gradient (its own term; softmax still couples its logit to the others').
/// The denominator is Σp + Σg, as the project's PyTorch reference; the thesis's eq. 2 squares them, which is the
/// same for g ∈ {0, 1} and differs only in how p is weighted.
/// </summary>
public sealed class SoftDiceLoss
{
    public SoftDiceLoss(SoftDiceOptions? options = null) => Options = options ?? new SoftDiceOptions();

    public SoftDiceOptions Options { get; }

    /// <summary>The loss as a scalar float32 tensor on the logits' device; the caller disposes it.</summary>
    /// <param name="logits">(B, C, spatial…), any float type; computed in float32.</param>
    /// <param name="target">(B, spatial…) integer channel of each voxel, 0…C−1.</param>
    /// <param name="annotated">(B, C) bool: which classes each item's annotation covers; null = all.</param>
    public Tensor Compute(Tensor logits, Tensor target, Tensor? annotated = null)
    {
        if (logits.dim() < 3)
            throw new ArgumentException($"logits must be (B, C, spatial…), got {logits.dim()} dimensions");
        using var scope = NewDisposeScope();
        var probabilities = logits.to_type(ScalarType.Float32).softmax(1);
        return scope.MoveToOuter(FromProbabilities(probabilities, target, annotated));
    }

    /// <summary>The loss from probabilities directly: lets tests look at ∂L/∂p, where §5.5's argument lives.</summary>
    internal Tensor FromProbabilities(Tensor probabilities, Tensor target, Tensor? annotated)
    {
        long batch = probabilities.shape[0], classes = probabilities.shape[1];
        var spatial = probabilities.shape.Skip(2).ToArray();
        if (target.dim() != probabilities.dim() - 1 || target.shape[0] != batch || !target.shape.Skip(1).SequenceEqual(spatial))
            throw new ArgumentException($"target shape ({string.Join(", ", target.shape)}) does not match logits ({string.Join(", ", probabilities.shape)}) without the channel axis");
        if (annotated is not null && (annotated.dim() != 2 || annotated.shape[0] != batch || annotated.shape[1] != classes))
            throw new ArgumentException($"annotated must be ({batch}, {classes}), got ({string.Join(", ", annotated.shape)})");

        using var scope = NewDisposeScope();
        var p = probabilities.reshape(batch, classes, -1);
        var index = target.to(probabilities.device).to_type(ScalarType.Int64).reshape(batch, 1, -1);
        // Σpg and Σg without a one-hot (C times the block's size): the probability of each voxel's true class,
        // summed into that class's slot.
        var pTrue = p.gather(1, index).reshape(batch, -1);
        var slots = index.reshape(batch, -1);
        var overlap = zeros(batch, classes, dtype: p.dtype, device: p.device).scatter_add(1, slots, pTrue);
        var truth = zeros(batch, classes, dtype: p.dtype, device: p.device).scatter_add(1, slots, ones_like(pTrue));
        var predicted = p.sum(2);
        using var two = 2.0.ToScalar();
        using var alpha = Options.Alpha.ToScalar();
        using var beta = Options.Beta.ToScalar();
        using var one = 1.0.ToScalar();
        var dice = (overlap * two + alpha) / (predicted + truth + beta);
        var perClass = one - dice;

        var weight = annotated is null
            ? ones(batch, classes, dtype: p.dtype, device: p.device)
            : annotated.to(p.device).to_type(p.dtype);
        // An item covering no class contributes 0 instead of 0/0.
        var perItem = (perClass * weight).sum(1) / weight.sum(1).clamp_min(one);
        return scope.MoveToOuter(perItem.mean());
    }
}
