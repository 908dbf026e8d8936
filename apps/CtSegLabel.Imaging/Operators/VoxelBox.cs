using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Operators;

/// <summary>
/// An axis-aligned box of voxel indices, HALF-OPEN on every axis: it holds i in [I0, I1), j in [J0, J1),
/// k in [K0, K1). Half-open because the size is then simply I1 − I0 and an empty box needs no special
/// value, which is what crop, paste and the component bounding boxes all compute with.
/// </summary>
public readonly record struct VoxelBox(int I0, int I1, int J0, int J1, int K0, int K1)
{
    /// <summary>The box covering a whole volume of this shape.</summary>
    public static VoxelBox Whole(Shape3 shape) => new(0, shape.X, 0, shape.Y, 0, shape.Z);

    public Shape3 Shape => new(Math.Max(0, I1 - I0), Math.Max(0, J1 - J0), Math.Max(0, K1 - K0));

    public bool IsEmpty => I1 <= I0 || J1 <= J0 || K1 <= K0;

    public bool Contains(int i, int j, int k) => i >= I0 && i < I1 && j >= J0 && j < J1 && k >= K0 && k < K1;

    /// <summary>True when the box lies inside a volume of this shape.</summary>
    public bool FitsIn(Shape3 shape) =>
        I0 >= 0 && J0 >= 0 && K0 >= 0 && I1 <= shape.X && J1 <= shape.Y && K1 <= shape.Z;

    /// <summary>Grows the box by <paramref name="margin"/> voxels on every side, then clamps it to the volume.</summary>
    public VoxelBox Expand(int margin, Shape3 within) => new(
        Math.Max(0, I0 - margin), Math.Min(within.X, I1 + margin),
        Math.Max(0, J0 - margin), Math.Min(within.Y, J1 + margin),
        Math.Max(0, K0 - margin), Math.Min(within.Z, K1 + margin));

    public override string ToString() => $"[{I0},{I1})×[{J0},{J1})×[{K0},{K1})";
}
