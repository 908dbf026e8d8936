namespace CtSegLabel.Imaging.Operators;

/// <summary>Which voxels count as neighbours when growing connected components.</summary>
public enum Connectivity
{
    /// <summary>The 6 voxels sharing a face.</summary>
    Faces6 = 6,

    /// <summary>All 26 voxels sharing a face, an edge or a corner.</summary>
    Full26 = 26,
}

/// <summary>What makes two neighbouring voxels part of the same component.</summary>
public enum ComponentGrouping
{
    /// <summary>Both are non-zero (a binary mask; values are not compared).</summary>
    Binary,

    /// <summary>Both hold the same non-zero value (a label map: each class is split separately).</summary>
    PerValue,
}
