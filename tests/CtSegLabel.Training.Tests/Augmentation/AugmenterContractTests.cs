using CtSegLabel.Training.Augmentation;
using TorchSharp;
using static TorchSharp.torch;

namespace CtSegLabel.Training.Tests.Augmentation;

/// <summary>What the trainer relies on: identity when nothing is drawn, reproducibility by seed, new tensors with the
/// inputs untouched, no tensor left behind, and clear errors for inputs of the wrong shape or type.</summary>
public class AugmenterContractTests
{
    private const int Depth = 16, Height = 32, Width = 32;

    private static (Tensor Image, Tensor Semantic, Tensor Instances) Block()
    {
        var cube = Blocks.Cube(x: 20, y: 12, z: 7, half: 3);
        return (Blocks.Image(Depth, Height, Width, (d, h, w) => cube(d, h, w) ? 0.9f : ((d + h + w) % 7) / 10f),
                Blocks.Labels(Depth, Height, Width, (d, h, w) => cube(d, h, w) ? 4 : (h > 20 ? 1 : 0)),
                Blocks.Labels(Depth, Height, Width, (d, h, w) => cube(d, h, w) ? 55 : 0));
    }

    private static readonly AugmentationOptions Everything = AugmentationOptions.Thesis with
    {
        AffineElasticProbability = 1, NoiseProbability = 1, GammaProbability = 1, HistogramShiftProbability = 1,
    };

    [Fact]
    public void No_augmentation_returns_new_tensors_equal_bit_for_bit()
    {
        using var scope = NewDisposeScope();
        var (image, semantic, instances) = Block();

        using var result = new BlockAugmenter(AugmentationOptions.None).Apply(image, semantic, instances, new Random(1));

        Assert.True(Blocks.Same(result.Image, image));
        Assert.True(Blocks.Same(result.Semantic, semantic));
        Assert.True(Blocks.Same(result.Instances, instances));
        // Copies, not the inputs: changing them leaves the inputs alone.
        result.Image.add_(1);
        result.Semantic.add_(1);
        result.Instances.add_(1);
        Assert.Equal(0.9f, image[0, 0, 7, 12, 20].item<float>());
        Assert.Equal(4, semantic[0, 7, 12, 20].item<long>());
        Assert.Equal(55, instances[0, 7, 12, 20].item<long>());
    }

    [Fact]
    public void Same_seed_same_block_and_different_seeds_differ()
    {
        using var scope = NewDisposeScope();
        var (image, semantic, instances) = Block();
        var augmenter = new BlockAugmenter(Everything);

        using var first = augmenter.Apply(image, semantic, instances, new Random(11));
        using var again = augmenter.Apply(image, semantic, instances, new Random(11));
        using var other = augmenter.Apply(image, semantic, instances, new Random(12));

        Assert.True(Blocks.Same(first.Image, again.Image));
        Assert.True(Blocks.Same(first.Semantic, again.Semantic));
        Assert.True(Blocks.Same(first.Instances, again.Instances));
        Assert.False(Blocks.Same(first.Image, other.Image));
        Assert.False(Blocks.Same(first.Semantic, other.Semantic));
    }

    [Fact]
    public void Inputs_are_untouched_and_outputs_keep_shape_type_and_device()
    {
        using var scope = NewDisposeScope();
        var (image, semantic, instances) = Block();
        var (imageCopy, semanticCopy, instancesCopy) = (image.clone(), semantic.clone(), instances.clone());

        using var result = new BlockAugmenter(Everything).Apply(image, semantic, instances, new Random(3));

        Assert.True(Blocks.Same(image, imageCopy));
        Assert.True(Blocks.Same(semantic, semanticCopy));
        Assert.True(Blocks.Same(instances, instancesCopy));
        Assert.Equal(image.shape, result.Image.shape);
        Assert.Equal(semantic.shape, result.Semantic.shape);
        Assert.Equal(instances.shape, result.Instances.shape);
        Assert.Equal(ScalarType.Float32, result.Image.dtype);
        Assert.Equal(ScalarType.Int64, result.Semantic.dtype);
        Assert.Equal(image.device_type, result.Image.device_type);
    }

    [Fact]
    public void Augmenting_leaves_no_tensor_behind()
    {
        var (image, semantic, instances) = Block();
        var augmenter = new BlockAugmenter(Everything);
        using (augmenter.Apply(image, semantic, instances, new Random(0))) { }

        // Exact, and without a forced collection (finalizers would free leaked tensors and hide them).
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (int seed = 1; seed <= 4; seed++)
            using (augmenter.Apply(image, semantic, instances, new Random(seed))) { }
        using (new BlockAugmenter(AugmentationOptions.None).Apply(image, semantic, instances, new Random(5))) { }
        long after = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        Assert.Equal(before, after);

        image.Dispose();
        semantic.Dispose();
        instances.Dispose();
    }

    [Fact]
    public void Wrong_shapes_and_types_are_refused_with_the_argument_named()
    {
        using var scope = NewDisposeScope();
        var (image, semantic, instances) = Block();
        var augmenter = new BlockAugmenter(AugmentationOptions.Thesis);
        var random = new Random(0);

        Assert.Equal("image", Assert.Throws<ArgumentException>(() => augmenter.Apply(image.squeeze(0), semantic, instances, random)).ParamName);
        Assert.Equal("image", Assert.Throws<ArgumentException>(() => augmenter.Apply(image.to_type(ScalarType.Float64), semantic, instances, random)).ParamName);
        Assert.Equal("semantic", Assert.Throws<ArgumentException>(() => augmenter.Apply(image, semantic[.., ..8], instances, random)).ParamName);
        Assert.Equal("instances", Assert.Throws<ArgumentException>(() => augmenter.Apply(image, semantic, instances.to_type(ScalarType.Int32), random)).ParamName);
    }

    [Fact]
    public void Options_outside_their_ranges_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new BlockAugmenter(AugmentationOptions.Thesis with { NoiseProbability = 1.5 }));
        Assert.Throws<ArgumentException>(() => new BlockAugmenter(AugmentationOptions.Thesis with { Scale = new(1.1, 0.9) }));
        Assert.Throws<ArgumentException>(() => new BlockAugmenter(AugmentationOptions.Thesis with { ElasticSigma = new(0, 8) }));
        Assert.Throws<ArgumentException>(() => new BlockAugmenter(AugmentationOptions.Thesis with { HistogramControlPoints = 2 }));
        Assert.Throws<ArgumentException>(() => new BlockAugmenter(AugmentationOptions.Thesis with { Gamma = new(double.NaN, 1) }));
    }

    [Fact]
    public void Thesis_options_are_the_thesis_numbers()
    {
        var o = AugmentationOptions.Thesis;
        Assert.Equal((0.75, 0.9, 0.5, 0.25), (o.AffineElasticProbability, o.NoiseProbability, o.GammaProbability, o.HistogramShiftProbability));
        Assert.Equal(new UniformRange(-0.08, 0.08), o.Rotation);
        Assert.Equal(new UniformRange(0.9, 1.1), o.Scale);
        Assert.Equal(new UniformRange(-0.1, 0.1), o.Shear);
        Assert.Equal(new UniformRange(0, 100), o.ElasticMagnitude);
        Assert.Equal(new UniformRange(4, 8), o.ElasticSigma);
        Assert.Equal(0.01, o.NoiseStd);
        Assert.Equal(new UniformRange(0.85, 1.15), o.Gamma);
        Assert.Equal(25, o.HistogramControlPoints);
    }
}
