using CtSegLabel.Training.Augmentation;
using static TorchSharp.torch;

namespace CtSegLabel.Training.Tests.Augmentation;

/// <summary>Noise, gamma and histogram shift, each alone with stated parameters, and all together on the thesis's
/// ranges: what each does to intensities, and that labels are left alone.</summary>
public class IntensityTests
{
    private const int Depth = 16, Height = 32, Width = 32;

    /// <summary>Intensities spread over 0…1 like a normalised CT block (0 the floor, 1 the ceiling, both present).</summary>
    private static Tensor Ramp() => Blocks.Image(Depth, Height, Width, (d, h, w) => ((d * 37 + h * 11 + w * 5) % 101) / 100f);

    private static Tensor NoLabels() => Blocks.Labels(Depth, Height, Width, (_, _, _) => 0);

    [Fact]
    public void Noise_adds_zero_mean_gaussian_of_the_given_deviation()
    {
        using var scope = NewDisposeScope();
        var image = Blocks.Image(Depth, Height, Width, (_, _, _) => 0.5f);
        var labels = Blocks.Labels(Depth, Height, Width, (d, _, _) => d);

        using var result = BlockAugmenter.Apply(image, labels, labels, AugmentationDraw.Nothing with { NoiseStd = 0.01, TensorSeed = 3 });

        var noise = (result.Image - image).to_type(ScalarType.Float64);
        Assert.InRange(noise.mean().item<double>(), -0.0005, 0.0005);
        Assert.InRange(noise.std().item<double>(), 0.0095, 0.0105);
        Assert.True(Blocks.Same(result.Semantic, labels));
    }

    [Theory]
    [InlineData(0.85)]
    [InlineData(1.15)]
    public void Gamma_bends_the_values_between_minimum_and_maximum(double gamma)
    {
        using var scope = NewDisposeScope();
        // A block that does not span 0…1 exactly, so rescaling by its own range matters.
        var image = Ramp() * 0.6 + 0.2;
        var labels = NoLabels();

        using var result = BlockAugmenter.Apply(image, labels, labels, AugmentationDraw.Nothing with { Gamma = gamma });

        var input = image.data<float>().ToArray();
        var output = result.Image.data<float>().ToArray();
        for (int i = 0; i < input.Length; i += 97)
        {
            double expected = Math.Pow((input[i] - 0.2) / 0.6, gamma) * 0.6 + 0.2;
            Assert.Equal(expected, output[i], 5);
        }
        Assert.Equal(0.2f, result.Image.min().item<float>(), 5);
        Assert.Equal(0.8f, result.Image.max().item<float>(), 5);
        // The middle moves the way γ says: darker above 1, brighter below.
        int middle = Array.FindIndex(input, v => Math.Abs(v - 0.5f) < 1e-6);
        Assert.True(gamma > 1 ? output[middle] < 0.49f : output[middle] > 0.51f, $"0.5 → {output[middle]} with γ {gamma}");
    }

    [Fact]
    public void Histogram_shift_is_monotone_keeps_the_range_and_passes_through_the_moved_control_points()
    {
        using var scope = NewDisposeScope();
        var points = HistogramShift.DrawControlPoints(25, new Random(3));
        Assert.Equal(0, points[0]);
        Assert.Equal(1, points[^1]);
        Assert.True(points.Zip(points.Skip(1)).All(p => p.First <= p.Second));
        // Intensities 0…1 with a voxel on every even control point i/24.
        var image = Blocks.Image(Depth, Height, Width, (d, h, w) => ((d * Height + h) * Width + w) % 241 / 240f);
        var labels = NoLabels();

        using var result = BlockAugmenter.Apply(image, labels, labels, AugmentationDraw.Nothing with { HistogramControlPoints = points });

        var input = image.data<float>().ToArray();
        var output = result.Image.data<float>().ToArray();
        var order = Enumerable.Range(0, input.Length).OrderBy(i => input[i]).ToArray();
        for (int n = 1; n < order.Length; n++)
            Assert.True(output[order[n]] >= output[order[n - 1]] - 1e-6f, $"{input[order[n - 1]]} → {output[order[n - 1]]} but {input[order[n]]} → {output[order[n]]}");
        Assert.Equal(0f, output.Min(), 6);
        Assert.Equal(1f, output.Max(), 6);
        for (int i = 0; i < 25; i++)
        {
            int at = Array.FindIndex(input, v => Math.Abs(v - i * 10 / 240f) < 1e-7);
            Assert.Equal(points[i], output[at], 5);
        }
        Assert.True(output.Zip(input).Max(p => Math.Abs(p.First - p.Second)) > 0.005, "the remap changed nothing");
    }

    [Fact]
    public void Histogram_shift_and_gamma_leave_a_flat_block_unchanged()
    {
        using var scope = NewDisposeScope();
        var image = Blocks.Image(4, 8, 8, (_, _, _) => 0.3f);
        var labels = Blocks.Labels(4, 8, 8, (_, _, _) => 0);
        var draw = AugmentationDraw.Nothing with { Gamma = 1.1, HistogramControlPoints = HistogramShift.DrawControlPoints(25, new Random(1)) };

        using var result = BlockAugmenter.Apply(image, labels, labels, draw);

        Assert.True((result.Image - image).abs().max().item<float>() < 1e-6f);
    }

    [Fact]
    public void Thesis_intensity_transforms_keep_the_image_in_a_sane_range_and_the_labels_as_they_were()
    {
        using var scope = NewDisposeScope();
        var image = Ramp();
        var semantic = Blocks.Labels(Depth, Height, Width, (d, h, w) => (d + h + w) % 4);
        var augmenter = new BlockAugmenter(AugmentationOptions.Thesis with
        {
            AffineElasticProbability = 0, NoiseProbability = 1, GammaProbability = 1, HistogramShiftProbability = 1,
        });

        for (int seed = 0; seed < 5; seed++)
        {
            using var result = augmenter.Apply(image, semantic, semantic, new Random(seed));
            // Noise σ 0.01 is the only thing that may leave 0…1, by a few σ at most; gamma and the shift keep the range.
            Assert.InRange(result.Image.min().item<float>(), -0.06f, 0.001f);
            Assert.InRange(result.Image.max().item<float>(), 0.999f, 1.06f);
            Assert.False(result.Image.isnan().any().item<bool>());
            Assert.True(Blocks.Same(result.Semantic, semantic));
            Assert.True(Blocks.Same(result.Instances, semantic));
        }
    }
}
