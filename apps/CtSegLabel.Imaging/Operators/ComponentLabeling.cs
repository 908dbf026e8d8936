using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Operators;

/// <summary>One connected component.</summary>
/// <param name="Id">Its number in the component map, 1..N (components are numbered in the raster order of
/// their first voxel: i fastest, then j, then k — so the numbering is deterministic).</param>
/// <param name="Value">The label value shared by its voxels (per-value grouping), or 1 for a binary mask.</param>
/// <param name="Size">Voxel count.</param>
/// <param name="Box">Half-open bounding box.</param>
public sealed record ComponentInfo(int Id, double Value, long Size, VoxelBox Box)
{
    /// <summary>True when the component reaches the first or the last slice (k = 0 or k = Z − 1).</summary>
    public bool TouchesSliceEnds(int sliceCount) => Box.K0 == 0 || Box.K1 == sliceCount;
}

/// <summary>The result of connected-component labelling: an int32 map (0 = background, 1..N) on the input's
/// geometry, and one <see cref="ComponentInfo"/> per component, <c>Components[id - 1]</c>.</summary>
public sealed record ComponentLabeling(Volume<int> Map, IReadOnlyList<ComponentInfo> Components)
{
    public int Count => Components.Count;
}
