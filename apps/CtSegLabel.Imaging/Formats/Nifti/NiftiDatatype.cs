using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Formats.Nifti;

/// <summary>The NIfTI-1 <c>datatype</c> codes and how they map onto our voxel types.</summary>
internal static class NiftiDatatype
{
    public static short CodeOf(VoxelType type) => type switch
    {
        VoxelType.UInt8 => 2,
        VoxelType.Int16 => 4,
        VoxelType.Int32 => 8,
        VoxelType.Float32 => 16,
        VoxelType.Float64 => 64,
        VoxelType.Int8 => 256,
        VoxelType.UInt16 => 512,
        VoxelType.UInt32 => 768,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static VoxelType? TypeOf(short code) => code switch
    {
        2 => VoxelType.UInt8,
        4 => VoxelType.Int16,
        8 => VoxelType.Int32,
        16 => VoxelType.Float32,
        64 => VoxelType.Float64,
        256 => VoxelType.Int8,
        512 => VoxelType.UInt16,
        768 => VoxelType.UInt32,
        _ => null,
    };

    /// <summary>The standard's name for a code we refuse, so the error says what the file actually holds.</summary>
    public static string Describe(short code) => code switch
    {
        0 => "unknown (0)",
        1 => "binary (1)",
        32 => "complex64 (32)",
        128 => "RGB24 (128)",
        1024 => "int64 (1024)",
        1280 => "uint64 (1280)",
        1536 => "float128 (1536)",
        1792 => "complex128 (1792)",
        2048 => "complex256 (2048)",
        2304 => "RGBA32 (2304)",
        _ => $"code {code}",
    };

    public const string Supported = "uint8 (2), int8 (256), int16 (4), uint16 (512), int32 (8), uint32 (768), float32 (16), float64 (64)";
}
