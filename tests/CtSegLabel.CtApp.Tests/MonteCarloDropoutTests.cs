using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Models;
using static TorchSharp.torch;

namespace CtSegLabel.CtApp.Tests;

/// <summary>The uncertainty of a window under Monte Carlo dropout, with the tiny SwinUNETR-V2 (drop rate 0.2 as built).</summary>
public class MonteCarloDropoutTests
{
    private static readonly ComputeDevice Cpu = ComputeDevice.Choose("cpu", "fp32");

    /// <summary>The smallest window the network takes: the tests stay quick on two cores.</summary>
    private static readonly Shape3 Small = new(32, 32, 32);

    private static Volume<float> Window(int seed) => TinyWindows.Window(seed, Small);

    [Fact]
    public void Deterministic_passes_have_zero_variance_and_dropout_makes_it_positive()
    {
        using var network = TinyWindows.Network();
        var window = Window(5);

        var off = MonteCarloDropout.Measure(network, Cpu, window, window.Shape.Z, passes: 3, dropoutActive: false);
        Assert.Equal(0.0, off.Variance); // exactly: identical passes leave Welford's sum of squares at 0
        Assert.True(off.MeanEntropy > 0, "the entropy of the mean prediction is not zero even without sampling");
        Assert.True(off.MeanEntropy <= Math.Log(37), $"{off.MeanEntropy} is above ln(classes)");
        Assert.Equal((long)Small.X * Small.Y * Small.Z, off.Voxels);

        manual_seed(7);
        var on = MonteCarloDropout.Measure(network, Cpu, window, window.Shape.Z, passes: 3);
        Assert.True(on.MeanVariance > 0, "dropout sampling spreads the softmax outputs");
        Assert.True(on.MeanVariance < 1, $"{on.MeanVariance}: a variance of probabilities summed over 36 classes stays below 1 for these passes");
    }

    [Fact]
    public void Only_the_real_slices_count_and_the_network_is_left_deterministic()
    {
        using var network = TinyWindows.Network();
        var window = Window(6);
        var sums = MonteCarloDropout.Measure(network, Cpu, window, realSlices: 10, passes: 2);
        Assert.Equal(10L * Small.X * Small.Y, sums.Voxels);

        // After the measurement the network predicts deterministically again (its dropout is off, eval mode kept).
        using var predictor = new TorchWindowPredictor(network, Cpu);
        var a = predictor.Predict([window], embeddings: false, CancellationToken.None)[0].Probabilities;
        var b = predictor.Predict([window], embeddings: false, CancellationToken.None)[0].Probabilities;
        Assert.Equal(a, b);
    }

    [Fact]
    public void A_network_without_dropout_does_not_sample_until_a_rate_is_set()
    {
        using var network = TinyWindows.Network();
        Assert.True(MonteCarloDropout.Samples(network));
        MonteCarloDropout.SetRate(network, 0);
        Assert.False(MonteCarloDropout.Samples(network));
        var window = Window(8);
        Assert.Equal(0.0, MonteCarloDropout.Measure(network, Cpu, window, window.Shape.Z, passes: 2).Variance);

        MonteCarloDropout.SetRate(network, 0.3);
        Assert.True(MonteCarloDropout.Samples(network));
        Assert.True(MonteCarloDropout.Measure(network, Cpu, window, window.Shape.Z, passes: 2).Variance > 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => MonteCarloDropout.SetRate(network, 1.0));
    }

    [Fact]
    public void Cancellation_stops_between_passes()
    {
        using var network = TinyWindows.Network();
        using var cancel = new CancellationTokenSource();
        var passes = new Progress(cancel);
        var window = Window(9);
        Assert.Throws<OperationCanceledException>(() =>
            MonteCarloDropout.Measure(network, Cpu, window, window.Shape.Z, passes: 5, passDone: passes, cancellation: cancel.Token));
        Assert.Equal(1, passes.Done);
    }

    /// <summary>Cancels after the first pass (synchronously: <see cref="Progress{T}"/> would post to the thread pool).</summary>
    private sealed class Progress(CancellationTokenSource cancel) : IProgress<int>
    {
        public int Done { get; private set; }

        public void Report(int value)
        {
            Done = value;
            cancel.Cancel();
        }
    }
}
