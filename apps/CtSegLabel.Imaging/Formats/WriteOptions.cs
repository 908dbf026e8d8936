namespace CtSegLabel.Imaging.Formats;

/// <summary>How volumes are written.</summary>
public sealed record WriteOptions
{
    public static readonly WriteOptions Default = new();

    /// <summary>zlib level 0–9 for .gz / gzip encodings. Default 2, measured on a 512×512×300 CT
    /// (docs/benchmarks.md): .NET's zlib-ng runs level 1 as a "quick" mode that leaves CT files ~50 %
    /// larger (110 MB vs 73 MB), while level 2 gives nibabel's file size at nibabel's speed or better,
    /// and level 6 buys only 4 % more for half the speed.</summary>
    public int CompressionLevel { get; init; } = 2;
}
