using CtSegLabel.Training.Augmentation;
using static TorchSharp.torch;

namespace CtSegLabel.Training.Tests.Augmentation;

/// <summary>The elastic offsets follow Rand3DElastic's semantics: uniform(−1, 1) smoothed by a Gaussian of σ voxels,
/// times the magnitude.</summary>
public class ElasticFieldTests
{
    [Theory]
    [InlineData(100, 4)]
    [InlineData(100, 8)]
    [InlineData(30, 5)]
    public void Offsets_are_bounded_by_the_magnitude_smooth_and_as_large_as_smoothing_predicts(double magnitude, double sigma)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(42, CPU);
        var field = ElasticField.Create(32, 48, 48, magnitude, sigma, generator, CPU);
        Assert.Equal(new long[] { 32, 48, 48, 3 }, field.shape);

        Assert.True(field.abs().max().item<float>() <= magnitude);
        // Away from the zero padding, the rms of smoothed white uniform noise is magnitude·√(1/3)·√Σk², with Σk² over
        // the 3-D kernel ≈ 1/(2√π σ)³.
        int margin = (int)Math.Ceiling(sigma);
        var inner = field[TensorIndex.Slice(margin, -margin), TensorIndex.Slice(margin, -margin), TensorIndex.Slice(margin, -margin)];
        double rms = inner.square().mean().sqrt().item<float>();
        double predicted = magnitude * Math.Sqrt(1.0 / 3) / Math.Pow(2 * Math.Sqrt(Math.PI) * sigma, 1.5);
        Assert.InRange(rms, 0.6 * predicted, 1.4 * predicted);
        // Smooth: neighbouring voxels' offsets differ by a small part of the offsets themselves.
        double step = (inner[TensorIndex.Slice(1)] - inner[TensorIndex.Slice(0, -1)]).square().mean().sqrt().item<float>();
        Assert.True(step < 0.35 * rms, $"step {step} vs rms {rms}");
    }

    [Fact]
    public void Kernel_is_a_normalised_gaussian_truncated_at_three_sigma()
    {
        using var kernel = ElasticField.GaussianKernel(4.2, CPU);
        Assert.Equal(2 * 13 + 1, kernel.shape[2]);
        Assert.Equal(1.0, kernel.sum().item<float>(), 5);
        var k = kernel.data<float>().ToArray();
        Assert.Equal(Math.Exp(-0.5 * 4 / (4.2 * 4.2)), k[13 + 2] / k[13], 5);
    }

    [Fact]
    public void Same_seed_same_field()
    {
        using var scope = NewDisposeScope();
        using var first = new Generator(7, CPU);
        using var second = new Generator(7, CPU);
        using var third = new Generator(8, CPU);
        var a = ElasticField.Create(8, 16, 16, 100, 4, first, CPU);
        var b = ElasticField.Create(8, 16, 16, 100, 4, second, CPU);
        var c = ElasticField.Create(8, 16, 16, 100, 4, third, CPU);

        Assert.True(Blocks.Same(a, b));
        Assert.False(Blocks.Same(a, c));
    }
}
