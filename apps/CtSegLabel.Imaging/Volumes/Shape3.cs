namespace CtSegLabel.Imaging.Volumes;

/// <summary>Voxel counts along the three voxel axes (i, j, k). i varies fastest in memory.</summary>
public readonly record struct Shape3(int X, int Y, int Z)
{
    public long VoxelCount => (long)X * Y * Z;

    public int this[int axis] => axis switch
    {
        0 => X,
        1 => Y,
        2 => Z,
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "axis must be 0, 1 or 2"),
    };

    /// <summary>Linear index of voxel (i, j, k): i + X·(j + Y·k).</summary>
    public long Index(int i, int j, int k) => i + (long)X * (j + (long)Y * k);

    public bool Contains(int i, int j, int k) =>
        (uint)i < (uint)X && (uint)j < (uint)Y && (uint)k < (uint)Z;

    public override string ToString() => $"{X}×{Y}×{Z}";
}
