using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Phantoms;

/// <summary>Direction of the voxel axes of a written phantom: LPS is the identity direction (ITK's
/// and DICOM's), RAS flips the first two axes (NIfTI's and nibabel's canonical form).</summary>
public enum PhantomOrientation
{
    Lps,
    Ras,
}

/// <summary>How phantoms are sampled on a grid. Unset values are drawn per phantom: spacing from
/// clinical ranges (0.7–1 mm pixels at 512², 1.5–5 mm slices), the slice count from the scan
/// range.</summary>
public sealed record PhantomOptions
{
    /// <summary>In-plane voxels (the image is Size × Size).</summary>
    public int Size { get; init; } = 512;

    /// <summary>Forced voxel spacing in mm (x, y, slice).</summary>
    public Vec3? Spacing { get; init; }

    /// <summary>Forced number of slices (the range keeps its centre).</summary>
    public int? Slices { get; init; }

    public PhantomOrientation Orientation { get; init; } = PhantomOrientation.Lps;

    /// <summary>Forced kind of scan range; null draws one per phantom.</summary>
    public RangeKind? Range { get; init; }
}
