using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace CtSegLabel.CtApp;

/// <summary>Sums over a window's voxels of the two per-voxel uncertainties MONAI Label's epistemic scoring offers.</summary>
/// <param name="Entropy">Σ over voxels of −Σ_c p̄_c ln p̄_c, p̄ the mean softmax over the passes, c the foreground
/// channels (background left out, as MONAI Label does). Not zero for a deterministic network: it is the entropy of
/// the mean prediction.</param>
/// <param name="Variance">Σ over voxels of Σ_c Var(p_c) over the passes (population variance): zero exactly when every
/// pass gives the same probabilities, so this is the part only the dropout sampling produces.</param>
/// <param name="Voxels">Voxels summed (a window's real slices, not its padding).</param>
public readonly record struct UncertaintySums(double Entropy, double Variance, long Voxels)
{
    public static UncertaintySums operator +(UncertaintySums a, UncertaintySums b) =>
        new(a.Entropy + b.Entropy, a.Variance + b.Variance, a.Voxels + b.Voxels);

    public double MeanEntropy => Voxels == 0 ? 0 : Entropy / Voxels;

    public double MeanVariance => Voxels == 0 ? 0 : Variance / Voxels;
}

/// <summary>
/// Monte Carlo dropout (Gal &amp; Ghahramani): the same window through the network several times with its dropout
/// layers sampling, everything else in eval mode, and the spread of the softmax outputs as the network's epistemic
/// uncertainty about that window. The network must belong to the caller alone: switching its dropout on would make
/// every other request running it stochastic too.
/// </summary>
public static class MonteCarloDropout
{
    /// <summary>Probabilities below this count as this in the entropy (ln 0 is −∞; p ln p → 0 anyway).</summary>
    private const double ProbabilityFloor = 1e-12;

    /// <summary>True when some layer of the network drops anything: dropout with a positive rate, or stochastic
    /// depth. Without one every pass is the same and the uncertainty is 0 whatever the image.</summary>
    public static bool Samples(SegmentationNetwork network) =>
        network.modules().Any(m => m is TorchSharp.Modules.Dropout { p: > 0 })
        || network.Architecture is SwinUnetrV2Architecture { DropPathRate: > 0 };

    /// <summary>Gives every dropout layer the rate <paramref name="rate"/> (a network trained without dropout, or a
    /// user who wants more spread). The attention-weight dropout keeps the rate it was built with.</summary>
    public static void SetRate(SegmentationNetwork network, double rate)
    {
        if (!(rate >= 0 && rate < 1)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "a dropout rate is in [0, 1)");
        foreach (var m in network.modules())
            if (m is TorchSharp.Modules.Dropout dropout) dropout.p = rate;
    }

    /// <summary>Runs <paramref name="passes"/> forward passes of <paramref name="window"/> (a preprocessed window of the
    /// network's size) and sums the uncertainties over its first <paramref name="realSlices"/> slices. With
    /// <paramref name="dropoutActive"/> false the passes are deterministic (the check that the variance is then 0).
    /// The network is left in eval mode with its dropout off.</summary>
    public static UncertaintySums Measure(SegmentationNetwork network, ComputeDevice device, Volume<float> window, int realSlices,
        int passes, bool dropoutActive = true, IProgress<int>? passDone = null, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(passes, 1);
        var shape = window.Shape;
        if (realSlices < 1 || realSlices > shape.Z) throw new ArgumentOutOfRangeException(nameof(realSlices), realSlices, $"outside 1..{shape.Z}");
        int classes = network.Architecture.Classes;
        if (classes < 2) throw new ArgumentException($"the network has {classes} semantic channel(s); the uncertainty needs background and at least one class");

        network.eval();
        network.SetDropoutActive(dropoutActive);
        try
        {
            using var scope = NewDisposeScope();
            using var inference = inference_mode();
            var input = device.Place(tensor(window.Data, [1, 1, shape.Z, shape.Y, shape.X]));
            // Welford's running mean and sum of squared deviations: identical passes give exactly 0 (sums of p and p²
            // would leave rounding residue), and only two window-sized accumulators are held whatever the pass count.
            long[] kept = [classes - 1, realSlices, shape.Y, shape.X];
            var mean = zeros(kept, ScalarType.Float32, device.Device);
            var squares = zeros(kept, ScalarType.Float32, device.Device);
            for (int pass = 1; pass <= passes; pass++)
            {
                cancellation.ThrowIfCancellationRequested();
                using var passScope = NewDisposeScope();
                var logits = network.forward(input, withEmbeddings: false).Semantic;
                // Softmax over every channel in float32, then the foreground channels of the real slices.
                var p = logits.to_type(ScalarType.Float32).softmax(1)[0].narrow(0, 1, classes - 1).narrow(1, 0, realSlices);
                var delta = p - mean;
                using var passNumber = ((double)pass).ToScalar();
                mean.add_(delta / passNumber);
                squares.add_(delta * (p - mean));
                passDone?.Report(pass);
            }
            using var floor = ProbabilityFloor.ToScalar();
            using var passCount = ((double)passes).ToScalar();
            var floored = mean.clamp_min(floor);
            double entropy = -(mean * floored.log()).to_type(ScalarType.Float64).sum().cpu().item<double>();
            double variance = (squares / passCount).to_type(ScalarType.Float64).sum().cpu().item<double>();
            return new UncertaintySums(entropy, variance, (long)realSlices * shape.Y * shape.X);
        }
        finally
        {
            network.SetDropoutActive(false);
        }
    }
}
