namespace CtSegLabel.Imaging.Formats;

/// <summary>How volumes are written.</summary>
public sealed record WriteOptions
{
    public static readonly WriteOptions Default = new();

    /// <summary>zlib level 0–9 for .gz / gzip encodings. Default 1: on CT, level 1 compresses within a
    /// few percent of level 6 at several times the speed (docs/benchmarks.md has the figures), and
    /// nibabel writes level 1 too.</summary>
    public int CompressionLevel { get; init; } = 1;
}
