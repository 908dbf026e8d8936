namespace CtSegLabel.Inference.Pipeline;

/// <summary>Preprocessing of thesis §3.2 and the block size of §3.7. A checkpoint records the values its
/// network was trained with, and inference must repeat them exactly, so they travel with the weights.</summary>
public sealed record PreprocessingParameters
{
    /// <summary>The body is the bounding box of voxels above this (air and table padding fall below it).</summary>
    public double BodyThresholdHu { get; init; } = -200;

    /// <summary>The cropped box is stretched (not padded) to this many voxels along x and y.</summary>
    public int InPlaneSize { get; init; } = 128;

    public double SliceSpacingMm { get; init; } = 3.0;

    /// <summary>This HU maps to 0 and <see cref="IntensityOneHu"/> to 1, linearly, unclipped.</summary>
    public double IntensityZeroHu { get; init; } = -700;

    public double IntensityOneHu { get; init; } = 1400;

    /// <summary>Slices per network window (64 × 3 mm = 19.2 cm).</summary>
    public int BlockSlices { get; init; } = 64;

    /// <summary>Fraction of a window shared with the next one.</summary>
    public double WindowOverlap { get; init; } = 0.5;
}
