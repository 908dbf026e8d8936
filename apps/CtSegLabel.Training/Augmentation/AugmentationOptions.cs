namespace CtSegLabel.Training.Augmentation;

/// <summary>
/// The thesis's training augmentations (§3.6), applied in this order: affine + elastic deformation (one resampling),
/// Gaussian noise, gamma contrast, histogram shift. Each runs with its own probability; ranges are drawn per block.
/// The defaults are the thesis's; the semantics of each range follow the MONAI transform the thesis used
/// (docs/training.md, "Augmentation").
/// </summary>
public sealed record AugmentationOptions
{
    /// <summary>The thesis's recipe (the defaults).</summary>
    public static AugmentationOptions Thesis { get; } = new();

    /// <summary>Nothing applied: every probability 0, so a block comes back unchanged (validation, debugging).</summary>
    public static AugmentationOptions None { get; } = new()
    {
        AffineElasticProbability = 0,
        NoiseProbability = 0,
        GammaProbability = 0,
        HistogramShiftProbability = 0,
    };

    /// <summary>Probability of the affine + elastic deformation (Rand3DElastic's prob).</summary>
    public double AffineElasticProbability { get; init; } = 0.75;

    /// <summary>Rotation angle about each axis, radians, drawn per axis.</summary>
    public UniformRange Rotation { get; init; } = UniformRange.Symmetric(0.08);

    /// <summary>Scale factor per axis, drawn per axis. As in MONAI it scales the sampling grid, so a factor above 1
    /// samples a larger region and the anatomy appears smaller.</summary>
    public UniformRange Scale { get; init; } = new(0.9, 1.1);

    /// <summary>Shear coefficient per axis (the thesis writes radians; MONAI uses the value as the matrix entry, and
    /// tan θ differs from θ by 0.3 % at 0.1).</summary>
    public UniformRange Shear { get; init; } = UniformRange.Symmetric(0.1);

    /// <summary>Multiplier of the smoothed uniform(−1, 1) offset field, in voxels (Rand3DElastic's magnitude_range).
    /// Smoothing shrinks the field a lot: with σ = 4 voxels a magnitude of 100 moves voxels by about one voxel (rms).</summary>
    public UniformRange ElasticMagnitude { get; init; } = new(0, 100);

    /// <summary>Standard deviation, in voxels, of the Gaussian that smooths the offset field (sigma_range).</summary>
    public UniformRange ElasticSigma { get; init; } = new(4, 8);

    /// <summary>Probability of additive Gaussian noise on the image.</summary>
    public double NoiseProbability { get; init; } = 0.9;

    /// <summary>Standard deviation of the noise, in normalised intensity (0…1 spans −700…1400 HU: 0.01 ≈ 21 HU).</summary>
    public double NoiseStd { get; init; } = 0.01;

    /// <summary>Probability of the gamma contrast change (RandAdjustContrast's prob).</summary>
    public double GammaProbability { get; init; } = 0.5;

    /// <summary>The exponent applied to the image rescaled to 0…1 between its own minimum and maximum.</summary>
    public UniformRange Gamma { get; init; } = new(0.85, 1.15);

    /// <summary>Probability of the histogram shift (RandHistogramShift's prob).</summary>
    public double HistogramShiftProbability { get; init; } = 0.25;

    /// <summary>Control points of the piecewise-linear intensity remap, end points included (at least 3).</summary>
    public int HistogramControlPoints { get; init; } = 25;

    /// <summary>The first problem with these options, or null: a probability outside 0…1, a reversed or infinite
    /// range, a non-positive smoothing σ, a negative noise level or exponent, fewer than 3 control points.</summary>
    public string? Problem()
    {
        foreach (var (name, p) in new[]
                 {
                     (nameof(AffineElasticProbability), AffineElasticProbability), (nameof(NoiseProbability), NoiseProbability),
                     (nameof(GammaProbability), GammaProbability), (nameof(HistogramShiftProbability), HistogramShiftProbability),
                 })
            if (!(p >= 0 && p <= 1)) return $"{name} must be within 0…1, got {p}";
        foreach (var (name, range) in new[]
                 {
                     (nameof(Rotation), Rotation), (nameof(Scale), Scale), (nameof(Shear), Shear),
                     (nameof(ElasticMagnitude), ElasticMagnitude), (nameof(ElasticSigma), ElasticSigma), (nameof(Gamma), Gamma),
                 })
            if (!range.IsValid) return $"{name} must be a finite range with Min ≤ Max, got {range}";
        if (Scale.Min <= 0) return $"{nameof(Scale)} must be positive, got {Scale}";
        if (ElasticSigma.Min <= 0) return $"{nameof(ElasticSigma)} must be positive, got {ElasticSigma}";
        if (ElasticMagnitude.Min < 0) return $"{nameof(ElasticMagnitude)} must not be negative, got {ElasticMagnitude}";
        if (Gamma.Min <= 0) return $"{nameof(Gamma)} must be positive, got {Gamma}";
        if (!(NoiseStd >= 0 && double.IsFinite(NoiseStd))) return $"{nameof(NoiseStd)} must be finite and ≥ 0, got {NoiseStd}";
        if (HistogramControlPoints < 3) return $"{nameof(HistogramControlPoints)} must be at least 3, got {HistogramControlPoints}";
        return null;
    }
}
