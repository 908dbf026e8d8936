using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Training.Augmentation;
using static TorchSharp.torch;

namespace CtSegLabel.Training.Tests.Augmentation;

/// <summary>The deformation moves image and labels together, and labels are never interpolated.</summary>
public class AlignmentTests
{
    private const int Depth = 16, Height = 32, Width = 32;

    /// <summary>Affine + elastic always, nothing else; ranges wider than the thesis's so the marker moves by voxels.</summary>
    private static readonly AugmentationOptions Deform = AugmentationOptions.None with
    {
        AffineElasticProbability = 1,
        Rotation = UniformRange.Symmetric(0.35),
        Scale = new(0.85, 1.15),
        Shear = UniformRange.Symmetric(0.15),
        ElasticMagnitude = new(200, 400),
        ElasticSigma = new(4, 6),
    };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void A_marker_moves_with_image_semantic_and_instance_labels(int seed)
    {
        using var scope = NewDisposeScope();
        // Off centre, so rotation and scale move it.
        var cube = Blocks.Cube(x: 21, y: 11, z: 9, half: 2);
        var image = Blocks.Image(Depth, Height, Width, (d, h, w) => cube(d, h, w) ? 1f : 0f);
        var semantic = Blocks.Labels(Depth, Height, Width, (d, h, w) => cube(d, h, w) ? 3 : 0);
        var instances = Blocks.Labels(Depth, Height, Width, (d, h, w) => cube(d, h, w) ? 17 : 0);

        using var result = new BlockAugmenter(Deform).Apply(image, semantic, instances, new Random(seed));

        Assert.Subset(new SortedSet<long> { 0, 3 }, Blocks.Distinct(result.Semantic));
        Assert.Subset(new SortedSet<long> { 0, 17 }, Blocks.Distinct(result.Instances));
        // Both label maps went through the same grid: the instance marks exactly the semantic marker's voxels.
        Assert.True(Blocks.Same(result.Semantic.eq(3), result.Instances.eq(17)));

        var imageCentre = Blocks.Centroid(result.Image.clamp_min(0));
        var labelCentre = Blocks.Centroid(result.Semantic.eq(3));
        var before = new Vec3(21, 11, 9);
        Assert.True((imageCentre - labelCentre).Norm < 1.0, $"image marker at {imageCentre}, label marker at {labelCentre}");
        Assert.True((labelCentre - before).Norm > 1.0, $"the marker barely moved ({before} → {labelCentre}): the test would not see a misalignment");
    }

    [Fact]
    public void Thesis_deformation_keeps_the_marker_aligned_and_ids_valid()
    {
        using var scope = NewDisposeScope();
        var cube = Blocks.Cube(x: 8, y: 22, z: 5, half: 2);
        var image = Blocks.Image(Depth, Height, Width, (d, h, w) => cube(d, h, w) ? 1f : 0f);
        var semantic = Blocks.Labels(Depth, Height, Width, (d, h, w) => cube(d, h, w) ? 2 : 0);
        var instances = Blocks.Labels(Depth, Height, Width, (d, h, w) => cube(d, h, w) ? 40 : 0);
        var augmenter = new BlockAugmenter(AugmentationOptions.Thesis with { NoiseProbability = 0, GammaProbability = 0, HistogramShiftProbability = 0, AffineElasticProbability = 1 });

        for (int seed = 10; seed < 14; seed++)
        {
            using var result = augmenter.Apply(image, semantic, instances, new Random(seed));
            Assert.Subset(new SortedSet<long> { 0, 2 }, Blocks.Distinct(result.Semantic));
            Assert.Subset(new SortedSet<long> { 0, 40 }, Blocks.Distinct(result.Instances));
            var imageCentre = Blocks.Centroid(result.Image.clamp_min(0));
            var labelCentre = Blocks.Centroid(result.Semantic.eq(2));
            Assert.True((imageCentre - labelCentre).Norm < 1.0, $"seed {seed}: image marker at {imageCentre}, label marker at {labelCentre}");
        }
    }

    [Fact]
    public void Labels_with_many_ids_keep_only_ids_that_were_there()
    {
        using var scope = NewDisposeScope();
        // Neighbouring voxels with far-apart ids: any blending would make values in between.
        var semantic = Blocks.Labels(Depth, Height, Width, (d, h, w) => (d + h + w) % 3 == 0 ? 0 : (h * 7 + w) % 11);
        var instances = Blocks.Labels(Depth, Height, Width, (d, h, w) => w % 2 == 0 ? 0 : 1000 + 13 * ((d * 5 + h) % 29));
        var image = Blocks.Image(Depth, Height, Width, (d, h, w) => (d + h + w) / 80f);
        var before = (Blocks.Distinct(semantic), Blocks.Distinct(instances));

        using var result = new BlockAugmenter(Deform).Apply(image, semantic, instances, new Random(5));

        Assert.Subset(before.Item1, Blocks.Distinct(result.Semantic));
        Assert.Subset(before.Item2, Blocks.Distinct(result.Instances));
        Assert.Equal(ScalarType.Int64, result.Semantic.dtype);
        Assert.Equal(ScalarType.Int64, result.Instances.dtype);
    }
}
