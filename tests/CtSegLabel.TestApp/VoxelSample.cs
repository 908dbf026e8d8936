namespace CtSegLabel.TestApp;

/// <summary>Training voxels: HU value, label (0, 1 = bone, 2 = lung) and whether the voxel is enclosed air.</summary>
public sealed class VoxelSample
{
    private readonly List<float> _hu = [];
    private readonly List<byte> _label = [];
    private readonly List<bool> _enclosed = [];

    public int Count => _hu.Count;

    public float[] Hu { get; private set; } = [];
    public byte[] Label { get; private set; } = [];
    public bool[] Enclosed { get; private set; } = [];

    public void Add(float hu, byte label, bool enclosed)
    {
        _hu.Add(hu);
        _label.Add(label);
        _enclosed.Add(enclosed);
    }

    /// <summary>Freezes the added voxels into the arrays the fit reads.</summary>
    public VoxelSample Seal()
    {
        Hu = [.. _hu];
        Label = [.. _label];
        Enclosed = [.. _enclosed];
        return this;
    }

    public bool Has(byte label) => Array.IndexOf(Label, label) >= 0;
}
