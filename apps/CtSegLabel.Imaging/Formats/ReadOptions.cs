namespace CtSegLabel.Imaging.Formats;

/// <summary>Limits that stop a hostile or broken file before it costs memory: checked against the
/// header before anything is allocated, and while decompressing.</summary>
public sealed record ReadOptions
{
    public static readonly ReadOptions Default = new();

    /// <summary>Most voxels a volume may declare (a whole-body CT at 0.7 mm is ~0.2 G voxels).</summary>
    public long MaxVoxels { get; init; } = 1L << 30;

    /// <summary>Most bytes a compressed stream may inflate to, header included (a gzip bomb is refused
    /// when it passes this, not when memory runs out).</summary>
    public long MaxDecompressedBytes { get; init; } = 4L << 30;

    /// <summary>Refuse compressed data that inflates past the header and the voxel data it declares. Readers stop
    /// inflating at the declared size anyway; this asks for ONE byte more, so that a small upload hiding gigabytes of
    /// trailing data (a gzip bomb behind a modest header) is refused at once instead of being stored. Off by default:
    /// files from disk with trailing padding still read.</summary>
    public bool RefuseTrailingData { get; init; }
}
