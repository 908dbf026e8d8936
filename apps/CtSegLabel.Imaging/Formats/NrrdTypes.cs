using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Formats;

/// <summary>How the voxel bytes of a NRRD are stored after the header.</summary>
internal enum NrrdEncoding
{
    Raw,
    Gzip,
    Ascii,
    Hex,
}

/// <summary>The world frames a NRRD's "space" field can name that we map onto our LPS world.</summary>
internal enum NrrdSpace
{
    /// <summary>LPS, ITK's and our world: no change.</summary>
    LeftPosteriorSuperior,
    /// <summary>RAS (NIfTI's world): x and y are negated.</summary>
    RightAnteriorSuperior,
    /// <summary>LAS: y is negated.</summary>
    LeftAnteriorSuperior,
}

/// <summary>The spellings the NRRD specification allows for types, encodings and spaces, and the
/// canonical names we write.</summary>
internal static class NrrdTypes
{
    // The specification lists every alias for each type; case does not matter.
    private static readonly Dictionary<string, VoxelType> TypeAliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["signed char"] = VoxelType.Int8,
        ["int8"] = VoxelType.Int8,
        ["int8_t"] = VoxelType.Int8,
        ["uchar"] = VoxelType.UInt8,
        ["unsigned char"] = VoxelType.UInt8,
        ["uint8"] = VoxelType.UInt8,
        ["uint8_t"] = VoxelType.UInt8,
        ["short"] = VoxelType.Int16,
        ["short int"] = VoxelType.Int16,
        ["signed short"] = VoxelType.Int16,
        ["signed short int"] = VoxelType.Int16,
        ["int16"] = VoxelType.Int16,
        ["int16_t"] = VoxelType.Int16,
        ["ushort"] = VoxelType.UInt16,
        ["unsigned short"] = VoxelType.UInt16,
        ["unsigned short int"] = VoxelType.UInt16,
        ["uint16"] = VoxelType.UInt16,
        ["uint16_t"] = VoxelType.UInt16,
        ["int"] = VoxelType.Int32,
        ["signed int"] = VoxelType.Int32,
        ["int32"] = VoxelType.Int32,
        ["int32_t"] = VoxelType.Int32,
        ["uint"] = VoxelType.UInt32,
        ["unsigned int"] = VoxelType.UInt32,
        ["uint32"] = VoxelType.UInt32,
        ["uint32_t"] = VoxelType.UInt32,
        ["float"] = VoxelType.Float32,
        ["double"] = VoxelType.Float64,
    };

    // Valid NRRD types that a volume cannot hold: named so the error says "not supported" rather than "unknown".
    private static readonly HashSet<string> UnsupportedTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "longlong", "long long", "long long int", "signed long long", "signed long long int", "int64", "int64_t",
        "ulonglong", "unsigned long long", "unsigned long long int", "uint64", "uint64_t",
        "block",
    };

    public static VoxelType ParseType(string value, string path)
    {
        string name = CollapseSpaces(value);
        if (TypeAliases.TryGetValue(name, out var type)) return type;
        if (UnsupportedTypes.Contains(name))
            throw new VolumeFormatException(path, "type", $"'{value}' is a valid NRRD type but not a voxel type we hold (8-, 16- and 32-bit integers, float, double)");
        throw new VolumeFormatException(path, "type", $"unknown type '{value}'");
    }

    /// <summary>The canonical (teem) spelling, which every NRRD reader knows.</summary>
    public static string TypeName(VoxelType type) => type switch
    {
        VoxelType.Int8 => "signed char",
        VoxelType.UInt8 => "unsigned char",
        VoxelType.Int16 => "short",
        VoxelType.UInt16 => "unsigned short",
        VoxelType.Int32 => "int",
        VoxelType.UInt32 => "unsigned int",
        VoxelType.Float32 => "float",
        VoxelType.Float64 => "double",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static NrrdEncoding ParseEncoding(string value, string path) => value.Trim().ToLowerInvariant() switch
    {
        "raw" => NrrdEncoding.Raw,
        "gz" or "gzip" => NrrdEncoding.Gzip,
        "txt" or "text" or "ascii" => NrrdEncoding.Ascii,
        "hex" => NrrdEncoding.Hex,
        "bz2" or "bzip2" => throw new VolumeFormatException(path, "encoding",
            $"'{value}' (bzip2) is not supported; re-save as raw or gzip (e.g. unu save -e gzip)"),
        _ => throw new VolumeFormatException(path, "encoding", $"unknown encoding '{value}' (raw, gzip, ascii and hex are read)"),
    };

    public static string EncodingName(NrrdEncoding encoding) => encoding switch
    {
        NrrdEncoding.Raw => "raw",
        NrrdEncoding.Gzip => "gzip",
        NrrdEncoding.Ascii => "ascii",
        NrrdEncoding.Hex => "hex",
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, null),
    };

    /// <summary>Maps a "space" value to our frame. Scanner and generic right-handed 3-D spaces carry no
    /// anatomical meaning; like ITK we take their coordinates as they are (LPS). Spaces with a time
    /// axis or a left-handed frame cannot be a 3-D patient frame and are refused.</summary>
    public static NrrdSpace ParseSpace(string value, string path) => CollapseSpaces(value).ToLowerInvariant() switch
    {
        "left-posterior-superior" or "lps" => NrrdSpace.LeftPosteriorSuperior,
        "right-anterior-superior" or "ras" => NrrdSpace.RightAnteriorSuperior,
        "left-anterior-superior" or "las" => NrrdSpace.LeftAnteriorSuperior,
        "scanner-xyz" or "3d-right-handed" => NrrdSpace.LeftPosteriorSuperior,
        _ => throw new VolumeFormatException(path, "space",
            $"'{value}' is not a 3-D patient space we can place in LPS (left-posterior-superior, right-anterior-superior, left-anterior-superior, scanner-xyz, 3D-right-handed)"),
    };

    /// <summary>Converts a vector given in a NRRD space to LPS (the conversion is its own inverse).</summary>
    public static Vec3 ToLps(Vec3 v, NrrdSpace space) => space switch
    {
        NrrdSpace.RightAnteriorSuperior => new Vec3(-v.X, -v.Y, v.Z),
        NrrdSpace.LeftAnteriorSuperior => new Vec3(v.X, -v.Y, v.Z),
        _ => v,
    };

    private static string CollapseSpaces(string value) =>
        string.Join(' ', value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
}
