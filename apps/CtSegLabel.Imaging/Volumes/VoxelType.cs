namespace CtSegLabel.Imaging.Volumes;

/// <summary>The voxel element types a volume can hold (the NIfTI-1/NRRD scalar types we read and write).</summary>
public enum VoxelType
{
    UInt8,
    Int8,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Float32,
    Float64,
}

public static class VoxelTypes
{
    public static int Size(this VoxelType type) => type switch
    {
        VoxelType.UInt8 or VoxelType.Int8 => 1,
        VoxelType.Int16 or VoxelType.UInt16 => 2,
        VoxelType.Int32 or VoxelType.UInt32 or VoxelType.Float32 => 4,
        VoxelType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static bool IsInteger(this VoxelType type) => type is not (VoxelType.Float32 or VoxelType.Float64);

    public static VoxelType Of<T>() where T : unmanaged =>
        typeof(T) == typeof(byte) ? VoxelType.UInt8
        : typeof(T) == typeof(sbyte) ? VoxelType.Int8
        : typeof(T) == typeof(short) ? VoxelType.Int16
        : typeof(T) == typeof(ushort) ? VoxelType.UInt16
        : typeof(T) == typeof(int) ? VoxelType.Int32
        : typeof(T) == typeof(uint) ? VoxelType.UInt32
        : typeof(T) == typeof(float) ? VoxelType.Float32
        : typeof(T) == typeof(double) ? VoxelType.Float64
        : throw new NotSupportedException($"{typeof(T).Name} is not a voxel type");

    /// <summary>Inclusive range of values the type can hold.</summary>
    public static (double Min, double Max) Range(this VoxelType type) => type switch
    {
        VoxelType.UInt8 => (byte.MinValue, byte.MaxValue),
        VoxelType.Int8 => (sbyte.MinValue, sbyte.MaxValue),
        VoxelType.Int16 => (short.MinValue, short.MaxValue),
        VoxelType.UInt16 => (ushort.MinValue, ushort.MaxValue),
        VoxelType.Int32 => (int.MinValue, int.MaxValue),
        VoxelType.UInt32 => (uint.MinValue, uint.MaxValue),
        VoxelType.Float32 => (float.MinValue, float.MaxValue),
        VoxelType.Float64 => (double.MinValue, double.MaxValue),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The smallest integer type holding [min, max], preferring signed types (what NIfTI readers expect of CT).</summary>
    public static VoxelType? SmallestIntegerFor(double min, double max)
    {
        foreach (var t in new[] { VoxelType.UInt8, VoxelType.Int16, VoxelType.Int32 })
        {
            var (lo, hi) = t.Range();
            if (min >= lo && max <= hi) return t;
        }
        return null;
    }
}
