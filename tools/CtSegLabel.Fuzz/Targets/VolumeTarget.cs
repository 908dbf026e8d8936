using CtSegLabel.Fuzz.Mutation;
using CtSegLabel.Fuzz.Running;
using CtSegLabel.Imaging.Formats;

namespace CtSegLabel.Fuzz.Targets;

/// <summary>What the volume readers share under fuzzing: their one typed error, and tight read limits so
/// a header may declare at most a few million voxels (the allocation bound is judged against them).</summary>
public abstract class VolumeTarget : IFuzzTarget
{
    /// <summary>Limits small enough that a lying header is cheap, large enough for every seed.</summary>
    public static readonly ReadOptions Limits = new() { MaxVoxels = 1 << 22, MaxDecompressedBytes = 32 << 20 };

    /// <summary>Buffers and bookkeeping any read may allocate whatever the input.</summary>
    private const long FixedAllowance = 4 << 20;

    public abstract string Name { get; }
    public abstract MutationHints Hints { get; }
    public abstract IReadOnlyList<Seed> Seeds();
    public abstract string Run(byte[] input, string scratch);

    public string? RejectionOf(Exception e) =>
        e is VolumeFormatException v ? Signatures.OfProblem(v.Field, v.Problem) : null;

    /// <summary>64× the input plus fixed buffers; a compressed input may also fill the decompression
    /// limit (the volume it declares, plus one converted copy when scaling changes the type).</summary>
    public long AllocationAllowance(byte[] input) =>
        64L * input.Length + FixedAllowance + (GzipPayload.Find(input) >= 0 ? 2 * Limits.MaxDecompressedBytes : 0);
}
