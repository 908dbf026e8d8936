namespace CtSegLabel.Imaging.Phantoms;

/// <summary>Contrast medium timing: none, portal-venous (organs and veins enhanced) or arterial
/// (the aorta and heart brightest, veins barely).</summary>
public enum ContrastPhase
{
    None,
    Venous,
    Arterial,
}

/// <summary>
/// What makes one synthetic patient differ from the next: body size and build, organ sizes and
/// positions, a sixth lumbar vertebra in about one in ten, contrast timing and scanner noise. All
/// drawn from one seeded stream, so a phantom is fully described by its seed.
/// </summary>
public sealed record PatientVariation
{
    /// <summary>Vertical scale of the skeleton and organs (≈ body height / average).</summary>
    public double HeightScale { get; init; } = 1;

    /// <summary>Left–right scale of the trunk.</summary>
    public double WidthScale { get; init; } = 1;

    /// <summary>Front–back scale of the trunk.</summary>
    public double DepthScale { get; init; } = 1;

    /// <summary>Subcutaneous fat over the abdomen, mm (thinner elsewhere).</summary>
    public double FatMm { get; init; } = 18;

    public bool HasL6 { get; init; }

    public ContrastPhase Contrast { get; init; }

    /// <summary>Standard deviation of the image noise, HU.</summary>
    public double NoiseSigma { get; init; } = 15;

    public double LiverScale { get; init; } = 1;
    public double SpleenScale { get; init; } = 1;
    public double KidneyScale { get; init; } = 1;
    public double HeartScale { get; init; } = 1;

    /// <summary>0 = nearly empty bladder, 1 = full.</summary>
    public double BladderFill { get; init; } = 0.5;

    /// <summary>Share of the stomach filled with gas (0–1).</summary>
    public double StomachGas { get; init; } = 0.3;

    /// <summary>Bone mineral: scales cortical and cancellous HU (older patients lower).</summary>
    public double BoneDensity { get; init; } = 1;

    /// <summary>Seed of the anatomical details drawn while building (bowel loops, lung vessels, small jitters).</summary>
    public ulong DetailSeed { get; init; }

    public static PatientVariation Sample(ref PhantomRandom r) => new()
    {
        HeightScale = r.Jitter(1.0, 0.035),
        WidthScale = r.Jitter(1.0, 0.05),
        DepthScale = r.Jitter(1.0, 0.05),
        FatMm = Math.Clamp(r.Jitter(17, 8), 4, 38),
        // Thesis, Appendix A: L6 in about 10 % of patients.
        HasL6 = r.Chance(0.10),
        Contrast = (ContrastPhase)r.Pick([0.4, 0.4, 0.2]),
        NoiseSigma = r.Uniform(10, 25),
        LiverScale = r.Jitter(1.0, 0.07),
        SpleenScale = r.Jitter(1.0, 0.12),
        KidneyScale = r.Jitter(1.0, 0.06),
        HeartScale = r.Jitter(1.0, 0.06),
        BladderFill = r.Uniform(0.15, 1.0),
        StomachGas = r.Uniform(0.05, 0.6),
        BoneDensity = r.Uniform(0.8, 1.1),
        DetailSeed = r.NextUInt64(),
    };
}
