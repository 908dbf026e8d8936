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
}
