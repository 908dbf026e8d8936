using CtSegLabel.Training.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace CtSegLabel.Training.Tests.Losses;

public class SoftDiceLossTests
{
    private const double Beta = 1e-5;

    /// <summary>(B, C, D, H, W) = (1, C, 2, 2, 1) from per-class values, voxel order 0…3.</summary>
    private static Tensor Block(params float[][] perClass) =>
        tensor(perClass.SelectMany(v => v).ToArray()).reshape(1, perClass.Length, 2, 2, 1);

    private static Tensor Target(params long[] channels) => tensor(channels).reshape(1, 2, 2, 1);

    private static Tensor Covered(params bool[] classes) => tensor(classes).reshape(1, classes.Length);

    [Fact]
    public void A_hand_computed_two_class_block()
    {
        using var scope = NewDisposeScope();
        // Class 1 logits minus class 0's: ln 3, 0, −ln 3, ln 3 → p1 = 3/4, 1/2, 1/4, 3/4; p0 = 1 − p1.
        float ln3 = MathF.Log(3);
        var logits = Block([0, 0, 0, 0], [ln3, 0, -ln3, ln3]);
        var target = Target(1, 1, 0, 0);
        // Class 1: Σpg = 3/4 + 1/2 = 1.25, Σp = 2.25, Σg = 2 → 1 − 2.5 / (4.25 + β) ≈ 7/17.
        // Class 0: Σpg = 3/4 + 1/4 = 1,    Σp = 1.75, Σg = 2 → 1 − 2 / (3.75 + β)   ≈ 7/15.
        double expected = ((1 - 2.5 / (4.25 + Beta)) + (1 - 2.0 / (3.75 + Beta))) / 2; // ≈ 0.439216
        using var loss = new SoftDiceLoss().Compute(logits, target);
        Assert.Equal(expected, loss.item<float>(), 6);
        Assert.Equal(ScalarType.Float32, loss.dtype);
        Assert.Equal(0, loss.dim());
    }

    [Fact]
    public void A_perfect_prediction_costs_nearly_nothing()
    {
        using var scope = NewDisposeScope();
        // Every voxel's true class has logit 20, the others 0: p of the truth = 1 − 2e−9·(C − 1) per voxel.
        var target = Target(0, 2, 1, 2);
        var logits = nn.functional.one_hot(target, 3).permute(0, 4, 1, 2, 3).to_type(ScalarType.Float32) * 20;
        using var loss = new SoftDiceLoss().Compute(logits, target);
        Assert.InRange(loss.item<float>(), 0, 1e-5);
        // A wrong prediction of the same block costs a lot: the test can tell the two apart.
        using var wrong = new SoftDiceLoss().Compute(logits.roll(1, 1), target);
        Assert.True(wrong.item<float>() > 0.9);
    }

    [Fact]
    public void A_class_the_annotation_does_not_cover_changes_neither_the_loss_nor_gets_a_gradient()
    {
        using var scope = NewDisposeScope();
        // Probabilities directly (a leaf), so the gradient of each class's own term is visible: with softmax the
        // channels are coupled and every logit gets gradient from the covered classes' terms.
        var target = Target(0, 1, 1, 0);
        var covered = Covered(true, true, false);
        var p = Block([0.5f, 0.25f, 0.25f, 0.5f], [0.25f, 0.5f, 0.25f, 0.25f], [0.25f, 0.25f, 0.5f, 0.25f]).requires_grad_();
        var loss = new SoftDiceLoss().FromProbabilities(p, target, covered);
        // Class 0: Σpg = 1,    Σp = 1.5,  Σg = 2 → 1 − 2/(3.5 + β).
        // Class 1: Σpg = 0.75, Σp = 1.25, Σg = 2 → 1 − 1.5/(3.25 + β). Class 2 (not covered) left out of the mean.
        double expected = ((1 - 2 / (3.5 + Beta)) + (1 - 1.5 / (3.25 + Beta))) / 2; // ≈ 0.483516
        Assert.Equal(expected, loss.item<float>(), 6);
        loss.backward();
        var grad = p.grad!;
        Assert.All(grad[0, 2].data<float>().ToArray(), g => Assert.Equal(0f, g));
        Assert.Contains(grad[0, 1].data<float>().ToArray(), g => Math.Abs(g) > 0.01);

        // Whatever the network predicts for the uncovered class, the loss stays the same.
        var other = Block([0.5f, 0.25f, 0.25f, 0.5f], [0.25f, 0.5f, 0.25f, 0.25f], [0.9f, 0.9f, 0.9f, 0.9f]);
        Assert.Equal(loss.item<float>(), new SoftDiceLoss().FromProbabilities(other, target, covered).item<float>());
        // Covered, the same class would count (its term is 1 − 0.5/(2.25 + β)), so the mask is what leaves it out.
        Assert.NotEqual(loss.item<float>(), new SoftDiceLoss().FromProbabilities(p.detach(), target, null).item<float>(), 3);
    }

    [Fact]
    public void Each_batch_item_has_its_own_annotation_mask()
    {
        using var scope = NewDisposeScope();
        float ln3 = MathF.Log(3);
        var one = Block([0, 0, 0, 0], [ln3, 0, -ln3, ln3]);
        var logits = cat([one, one], 0);
        var target = cat([Target(1, 1, 0, 0), Target(1, 1, 0, 0)], 0);
        var covered = tensor(new[] { true, true, true, false }).reshape(2, 2);
        // Item 0: mean of both terms (as above); item 1: class 0's term alone; the loss is the mean of the items.
        double sd1 = 1 - 2.5 / (4.25 + Beta), sd0 = 1 - 2.0 / (3.75 + Beta);
        using var loss = new SoftDiceLoss().Compute(logits, target, covered);
        Assert.Equal(((sd0 + sd1) / 2 + sd0) / 2, loss.item<float>(), 6);
    }

    [Fact]
    public void A_class_with_zero_overlap_scores_one_and_as_thesis_section_5_5_argues_its_gradient_vanishes()
    {
        using var scope = NewDisposeScope();
        var target = Target(1, 1, 0, 0);
        var onlyClass1 = Covered(false, true);

        // In probability space, p1 = 0 exactly where g1 = 1: the term is 1 − (0 + α)/(Σp + Σg + β) = 1 with α = 0.
        // ∂SD/∂p_i = −2g_i/den + (2Σpg + α)/den², den = Σp + Σg + β = 1 + 2 + β:
        //   where g = 0: α/den² → 0 with α = 0 (a smaller prediction is no longer rewarded, the thesis's point);
        //   where g = 1: −2/den ≈ −0.667 — NOT zero: in probability space the truth still pulls.
        var p = Block([1, 1, 0.5f, 0.5f], [0, 0, 0.5f, 0.5f]).requires_grad_();
        var loss = new SoftDiceLoss().FromProbabilities(p, target, onlyClass1);
        Assert.Equal(1.0, loss.item<float>(), 6);
        loss.backward();
        var dp = p.grad![0, 1].reshape(-1).data<float>().ToArray();
        double den = 3 + Beta;
        Assert.Equal(-2 / den, dp[0], 5);
        Assert.Equal(-2 / den, dp[1], 5);
        Assert.Equal(0f, dp[2]);
        Assert.Equal(0f, dp[3]);

        // With α = 1 the same prediction is rewarded for shrinking where g = 0: ∂SD/∂p = α/den² = 1/den² > 0 there.
        var q = p.detach().clone().requires_grad_();
        new SoftDiceLoss(new SoftDiceOptions(Alpha: 1)).FromProbabilities(q, target, onlyClass1).backward();
        Assert.Equal(1 / (den * den), q.grad![0, 1, 1, 0, 0].item<float>(), 6);

        // What the network actually sees: p1 comes from a softmax and reaches ~0 only when saturated (logit gap 20 →
        // p1 ≈ 2e−9). The term is still ≈ 1, and ∂p/∂logit = p(1 − p) ≈ 2e−9 multiplies the −2/den pull away, so
        // every logit's gradient vanishes: the class is stuck — the "gradients will be 0" of §5.5's last paragraph.
        var logits = Block([10, 10, 0, 0], [-10, -10, 0, 0]).requires_grad_();
        var fromLogits = new SoftDiceLoss().Compute(logits, target, onlyClass1);
        Assert.Equal(1.0, fromLogits.item<float>(), 6);
        fromLogits.backward();
        Assert.All(logits.grad!.data<float>().ToArray(), g => Assert.InRange(Math.Abs(g), 0, 1e-8));
        // A less confident wrong prediction (gap 2) still gets a usable gradient: the vanishing is saturation.
        var mild = Block([1, 1, 0, 0], [-1, -1, 0, 0]).requires_grad_();
        new SoftDiceLoss().Compute(mild, target, onlyClass1).backward();
        Assert.True(mild.grad![0, 1, 0, 0, 0].item<float>() < -0.01);
    }

    [Fact]
    public void Computing_the_loss_leaves_no_tensor_behind()
    {
        using var logits = randn([2, 3, 2, 4, 4], requires_grad: true);
        using var target = randint(0, 3, [2, 2, 4, 4]);
        var loss = new SoftDiceLoss();
        using (var warm = loss.Compute(logits, target)) { }
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        using (var value = loss.Compute(logits, target)) { }
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Shapes_that_do_not_match_are_refused()
    {
        using var scope = NewDisposeScope();
        var logits = zeros([1, 2, 2, 2, 1]);
        Assert.Throws<ArgumentException>(() => new SoftDiceLoss().Compute(logits, zeros(1, 2, 2, 2, dtype: ScalarType.Int64)));
        Assert.Throws<ArgumentException>(() => new SoftDiceLoss().Compute(logits, Target(0, 1, 0, 1), Covered(true, true, true)));
    }
}
