namespace CtSegLabel.Imaging.Anatomy;

/// <summary>The four classes whose voxels the method splits into instances (thesis §3.5).</summary>
public enum InstanceGroup
{
    None,
    RibLeft,
    RibRight,
    ThoracicVertebra,
    LumbarVertebra,
}

/// <summary>An RGB display colour, 0–255 per channel (Slicer stores it as three 0–1 floats).</summary>
public readonly record struct Rgb(byte R, byte G, byte B);

/// <summary>One ground-truth class: the voxel value in a label map, its name, its display colour, and,
/// for ribs and vertebrae, which instance group and number (rib 1–12, T1–T12, L1–L6) it is.</summary>
public sealed record CtClass(int Value, string Name, Rgb Color, InstanceGroup Group = InstanceGroup.None, int Number = 0)
{
    public bool IsInstance => Group != InstanceGroup.None;
}
