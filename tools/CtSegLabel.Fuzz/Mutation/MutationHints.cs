namespace CtSegLabel.Fuzz.Mutation;

/// <summary>A binary header field worth hitting with "interesting" values: offset, width in bytes, and
/// whether it holds a float (NIfTI's vox_offset, scl_*, srow_*) rather than an integer.</summary>
public sealed record BinaryField(string Name, int Offset, int Width, bool IsFloat = false);

/// <summary>Where a target's inputs are worth mutating beyond random bytes: binary header fields and
/// text keys (a line starting with the key gets its value replaced by one of the values listed).</summary>
public sealed record MutationHints(IReadOnlyList<BinaryField> Fields, IReadOnlyDictionary<string, string[]> TextKeys)
{
    public static readonly MutationHints None = new([], new Dictionary<string, string[]>());
}
