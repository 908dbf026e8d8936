using CtSegLabel.Imaging.Volumes;
using static TorchSharp.torch;

namespace CtSegLabel.Training.Augmentation;

/// <summary>
/// Augments one training block with the thesis's transforms, in its order: affine + elastic deformation of image and
/// labels together (one grid sample), Gaussian noise, gamma contrast, histogram shift (the last three on the image
/// only). The deformation works in voxel index space about the block centre, as MONAI's (and so the thesis's) did —
/// see docs/training.md, "Augmentation", for why the anisotropic spacing is not passed.
/// </summary>
public sealed class BlockAugmenter
{
    public BlockAugmenter(AugmentationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem() is { } problem) throw new ArgumentException(problem, nameof(options));
        Options = options;
    }

    public AugmentationOptions Options { get; }

    /// <summary>
    /// image (1,1,D,H,W) float32; semantic and instances (1,D,H,W) int64; all on one device (CPU or CUDA).
    /// Returns NEW tensors (the caller disposes them; inputs untouched); deterministic for a given seed.
    /// </summary>
    /// <param name="random">Every parameter is drawn from it, and the seed of the torch generator behind the elastic
    /// field and the noise, so the same seed reproduces the same block on any device.</param>
    public AugmentedBlock Apply(Tensor image, Tensor semantic, Tensor instances, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Validate(image, semantic, instances);
        return Apply(image, semantic, instances, Draw(random));
    }

    /// <summary>This augmenter as the trainer's <see cref="BlockTransform"/> (the trainer owns the tensors it gets back).</summary>
    public BlockTransform AsTransform() => (image, semantic, instances, random) =>
    {
        var block = Apply(image, semantic, instances, random);
        return (block.Image, block.Semantic, block.Instances);
    };

    /// <summary>The block's random choices, in a fixed order: tensor seed, then each transform's coin and parameters.</summary>
    internal AugmentationDraw Draw(Random random)
    {
        var o = Options;
        ulong seed = (ulong)random.NextInt64();
        SpatialDraw? spatial = null;
        if (random.NextDouble() < o.AffineElasticProbability)
        {
            var rotation = new Vec3(o.Rotation.Sample(random), o.Rotation.Sample(random), o.Rotation.Sample(random));
            var scale = new Vec3(o.Scale.Sample(random), o.Scale.Sample(random), o.Scale.Sample(random));
            var shear = new Vec3(o.Shear.Sample(random), o.Shear.Sample(random), o.Shear.Sample(random));
            spatial = new SpatialDraw(rotation, scale, shear, o.ElasticMagnitude.Sample(random), o.ElasticSigma.Sample(random));
        }
        double? noise = random.NextDouble() < o.NoiseProbability ? o.NoiseStd : null;
        double? gamma = random.NextDouble() < o.GammaProbability ? o.Gamma.Sample(random) : null;
        double[]? histogram = random.NextDouble() < o.HistogramShiftProbability
            ? HistogramShift.DrawControlPoints(o.HistogramControlPoints, random)
            : null;
        return new AugmentationDraw(spatial, noise, gamma, histogram, seed);
    }

    /// <summary>The block transformed as <paramref name="draw"/> says (tests state parameters outright here).</summary>
    internal static AugmentedBlock Apply(Tensor image, Tensor semantic, Tensor instances, AugmentationDraw draw)
    {
        Validate(image, semantic, instances);
        using var scope = NewDisposeScope();
        var device = image.device;
        // The generator lives on the CPU whatever the device: the same seed then gives the same field and noise on
        // CPU and CUDA (CUDA's generator draws a different stream), at the cost of one host-to-device copy each.
        using var generator = new Generator(draw.TensorSeed, CPU);

        Tensor outImage = image, outSemantic = semantic, outInstances = instances;
        if (draw.Spatial is { } spatial)
        {
            long depth = image.shape[2], height = image.shape[3], width = image.shape[4];
            var offsets = spatial.ElasticMagnitude > 0
                ? ElasticField.Create(depth, height, width, spatial.ElasticMagnitude, spatial.ElasticSigma, generator, device)
                : null;
            var grid = SpatialResampling.SamplingGrid(depth, height, width, spatial, offsets, device);
            outImage = SpatialResampling.Image(image, grid);
            (outSemantic, outInstances) = SpatialResampling.Labels(semantic, instances, grid);
        }
        if (draw.NoiseStd is { } std)
            outImage = outImage + randn(image.shape, ScalarType.Float32, CPU, generator: generator).to(device) * std;
        if (draw.Gamma is { } gamma)
            outImage = GammaContrast.Apply(outImage, gamma);
        if (draw.HistogramControlPoints is { } points)
            outImage = HistogramShift.Apply(outImage, points);

        // Untouched outputs are copies: the caller disposes what it gets back and may change its inputs.
        if (ReferenceEquals(outImage, image)) outImage = image.clone();
        if (ReferenceEquals(outSemantic, semantic)) outSemantic = semantic.clone();
        if (ReferenceEquals(outInstances, instances)) outInstances = instances.clone();
        return new AugmentedBlock(outImage.MoveToOuterDisposeScope(), outSemantic.MoveToOuterDisposeScope(),
            outInstances.MoveToOuterDisposeScope());
    }

    private static void Validate(Tensor image, Tensor semantic, Tensor instances)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(semantic);
        ArgumentNullException.ThrowIfNull(instances);
        if (image.dim() != 5 || image.shape[0] != 1 || image.shape[1] != 1)
            throw new ArgumentException($"image must be (1, 1, D, H, W), got ({Shape(image)})", nameof(image));
        if (image.dtype != ScalarType.Float32)
            throw new ArgumentException($"image must be float32, got {image.dtype}", nameof(image));
        if (image.shape.Skip(2).Any(n => n < 2))
            throw new ArgumentException($"every block axis needs at least 2 voxels, got ({Shape(image)})", nameof(image));
        var spatial = new long[] { 1 }.Concat(image.shape.Skip(2)).ToArray();
        foreach (var (labels, name) in new[] { (semantic, nameof(semantic)), (instances, nameof(instances)) })
        {
            if (!labels.shape.SequenceEqual(spatial))
                throw new ArgumentException($"{name} must be ({string.Join(", ", spatial)}) to match the image, got ({Shape(labels)})", name);
            if (labels.dtype != ScalarType.Int64)
                throw new ArgumentException($"{name} must be int64, got {labels.dtype}", name);
            if (labels.device_type != image.device_type || labels.device_index != image.device_index)
                throw new ArgumentException($"{name} is on {labels.device}, the image on {image.device}", name);
        }
    }

    private static string Shape(Tensor t) => string.Join(", ", t.shape);
}
