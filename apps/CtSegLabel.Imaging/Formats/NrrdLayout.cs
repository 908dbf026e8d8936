using System.Globalization;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Formats;

/// <summary>
/// What a NRRD header says about its data, checked: the voxel type, the three spatial axes and at most
/// one extra (non-spatial) axis, the LPS geometry, and where and how the bytes are stored. Every check
/// that can fail runs here, before anything is allocated.
/// </summary>
internal sealed record NrrdLayout(
    VoxelType Type,
    long[] Sizes,
    int[] SpatialAxes,
    int ExtraAxis,
    ImageGeometry Geometry,
    NrrdEncoding Encoding,
    bool BigEndian,
    long LineSkip,
    long ByteSkip,
    string DataPath,
    bool Detached)
{
    /// <summary>Size of the extra axis (1 when there is none).</summary>
    public long ExtraSize => ExtraAxis < 0 ? 1 : Sizes[ExtraAxis];

    public long ElementCount => Geometry.Shape.VoxelCount * ExtraSize;

    public long ByteCount => ElementCount * Type.Size();

    /// <summary>The extra axis holds more than one value per voxel (a layered segmentation, a vector image).</summary>
    public bool HasLayers => ExtraSize > 1;

    // Axis kinds that mean "a sampled spatial axis"; everything else (list, vector, RGB-color, …) is not.
    private static readonly HashSet<string> SpatialKinds = new(StringComparer.OrdinalIgnoreCase) { "domain", "space" };

    public static NrrdLayout From(NrrdHeader header, string path, ReadOptions options)
    {
        var type = NrrdTypes.ParseType(Required(header, "type", path), path);
        int dimension = ParseDimension(Required(header, "dimension", path), path);
        long[] sizes = ParseSizes(Required(header, "sizes", path), dimension, path);
        var encoding = NrrdTypes.ParseEncoding(Required(header, "encoding", path), path);
        bool bigEndian = ParseEndian(header.Field("endian"), path);

        // Without a "space" field (old files, or only "space dimension: 3") coordinates are taken as
        // LPS, as ITK does.
        NrrdSpace space = NrrdSpace.LeftPosteriorSuperior;
        if (header.Field("space") is string spaceName) space = NrrdTypes.ParseSpace(spaceName, path);
        if (header.Field("space dimension") is string spaceDim && spaceDim.Trim() != "3")
            throw new VolumeFormatException(path, "space dimension", $"'{spaceDim}': only a 3-D space can place a CT volume");

        List<Vec3?>? directions = null;
        if (header.Field("space directions") is string dirText)
        {
            directions = NrrdVectors.ParseList(dirText, path, "space directions");
            if (directions.Count != dimension)
                throw new VolumeFormatException(path, "space directions", $"has {directions.Count} entries; dimension is {dimension}");
        }
        string[]? kinds = null;
        if (header.Field("kinds") is string kindText)
        {
            kinds = kindText.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (kinds.Length != dimension)
                throw new VolumeFormatException(path, "kinds", $"has {kinds.Length} entries; dimension is {dimension}");
        }

        int[] spatial = SpatialAxesOf(dimension, sizes, directions, kinds, path);
        int extra = dimension == 4 ? Enumerable.Range(0, 4).Single(a => !spatial.Contains(a)) : -1;
        foreach (int a in spatial)
            if (sizes[a] > int.MaxValue)
                throw new VolumeFormatException(path, "sizes", $"axis {a} has {sizes[a]} samples; at most {int.MaxValue} fit one axis");
        var shape = new Shape3((int)sizes[spatial[0]], (int)sizes[spatial[1]], (int)sizes[spatial[2]]);
        CheckCount(shape, extra < 0 ? 1 : sizes[extra], type, path, options);

        var geometry = directions is not null
            ? GeometryFromDirections(shape, spatial, directions, space, header, path)
            : GeometryFromSpacings(shape, spatial, dimension, space, header, path);

        long lineSkip = ParseSkip(header.Field("line skip"), "line skip", 0, path);
        long byteSkip = ParseSkip(header.Field("byte skip"), "byte skip", -1, path);
        if (byteSkip == -1 && encoding != NrrdEncoding.Raw)
            throw new VolumeFormatException(path, "byte skip", "-1 (data at the end of the file) is only valid with raw encoding");

        string dataPath = path;
        bool detached = false;
        if (header.Field("data file") is string dataFile)
        {
            dataPath = ResolveDataFile(dataFile, path);
            detached = true;
        }
        else if (!header.HasBlankLine)
            throw new VolumeFormatException(path, "header", "ends without the blank line that separates it from the data (and names no data file)");

        return new NrrdLayout(type, sizes, spatial, extra, geometry, encoding, bigEndian, lineSkip, byteSkip, dataPath, detached);
    }

    private static string Required(NrrdHeader header, string field, string path) =>
        header.Field(field) ?? throw new VolumeFormatException(path, field, "required field is missing");

    private static int ParseDimension(string text, string path)
    {
        if (!int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int d))
            throw new VolumeFormatException(path, "dimension", $"'{text}' is not an integer");
        if (d != 3 && d != 4)
            throw new VolumeFormatException(path, "dimension", $"{d}: a volume needs 3 spatial axes (4 with one list, vector or layer axis)");
        return d;
    }

    private static long[] ParseSizes(string text, int dimension, string path)
    {
        var parts = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != dimension)
            throw new VolumeFormatException(path, "sizes", $"has {parts.Length} entries; dimension is {dimension}");
        var sizes = new long[dimension];
        for (int n = 0; n < dimension; n++)
            if (!long.TryParse(parts[n], NumberStyles.Integer, CultureInfo.InvariantCulture, out sizes[n]) || sizes[n] <= 0)
                throw new VolumeFormatException(path, "sizes", $"'{parts[n]}' is not a positive integer");
        return sizes;
    }

    private static bool ParseEndian(string? text, string path) => text?.Trim().ToLowerInvariant() switch
    {
        // teem omits "endian" when it cannot matter (1-byte types, text); every machine that writes
        // NRRD without it in practice is little-endian.
        null or "little" => false,
        "big" => true,
        _ => throw new VolumeFormatException(path, "endian", $"'{text}' is neither little nor big"),
    };

    /// <summary>Which three axes are spatial: those with a space direction; else those whose kind is
    /// domain/space; else, for 4-D data, all but the one axis of size 1.</summary>
    private static int[] SpatialAxesOf(int dimension, long[] sizes, List<Vec3?>? directions, string[]? kinds, string path)
    {
        if (directions is not null)
        {
            var withDirection = Enumerable.Range(0, dimension).Where(a => directions[a] is not null).ToArray();
            if (withDirection.Length != 3)
                throw new VolumeFormatException(path, "space directions", $"{withDirection.Length} axes have a direction; a volume needs exactly 3 spatial axes");
            return withDirection;
        }
        if (dimension == 3) return [0, 1, 2];
        if (kinds is not null)
        {
            var spatialKinds = Enumerable.Range(0, 4).Where(a => SpatialKinds.Contains(kinds[a])).ToArray();
            if (spatialKinds.Length == 3) return spatialKinds;
        }
        var single = Enumerable.Range(0, 4).Where(a => sizes[a] == 1).ToArray();
        if (single.Length == 1) return Enumerable.Range(0, 4).Where(a => a != single[0]).ToArray();
        throw new VolumeFormatException(path, "kinds", "4-D data must mark its one non-spatial axis (kinds, or 'none' in space directions)");
    }

    private static void CheckCount(Shape3 shape, long extraSize, VoxelType type, string path, ReadOptions options)
    {
        long voxels = shape.VoxelCount; // three ints: cannot overflow a long
        if (voxels > options.MaxVoxels || extraSize > options.MaxVoxels || voxels > options.MaxVoxels / extraSize)
            throw new VolumeFormatException(path, "sizes", $"{shape} × {extraSize} values is more than ReadOptions.MaxVoxels ({options.MaxVoxels})");
        if (voxels > Array.MaxLength)
            throw new VolumeFormatException(path, "sizes", $"{shape} has {voxels} voxels; one volume holds at most {Array.MaxLength}");
        if (extraSize > 1 && extraSize > Array.MaxLength / type.Size() / voxels)
            throw new VolumeFormatException(path, "sizes", $"{extraSize} layers of {shape} are more than one buffer holds");
    }

    private static ImageGeometry GeometryFromDirections(Shape3 shape, int[] spatial, List<Vec3?> directions, NrrdSpace space, NrrdHeader header, string path)
    {
        var columns = new Vec3[3];
        var spacing = new double[3];
        for (int c = 0; c < 3; c++)
        {
            var v = NrrdTypes.ToLps(directions[spatial[c]]!.Value, space);
            spacing[c] = v.Norm;
            if (!(spacing[c] > 0) || !double.IsFinite(spacing[c]))
                throw new VolumeFormatException(path, "space directions", $"axis {spatial[c]} has a zero-length direction (zero spacing)");
            columns[c] = v * (1.0 / spacing[c]);
        }
        var direction = Mat3.FromColumns(columns[0], columns[1], columns[2]);
        if (Math.Abs(direction.Determinant) < 1e-6)
            throw new VolumeFormatException(path, "space directions", "the axes are degenerate (parallel or coplanar directions)");
        return new ImageGeometry(shape, new Vec3(spacing[0], spacing[1], spacing[2]), Origin(header, space, path), direction);
    }

    /// <summary>The older per-axis "spacings" (no orientation): identity direction, as ITK reads it.</summary>
    private static ImageGeometry GeometryFromSpacings(Shape3 shape, int[] spatial, int dimension, NrrdSpace space, NrrdHeader header, string path)
    {
        var spacing = new double[] { 1, 1, 1 };
        if (header.Field("spacings") is string text)
        {
            var values = NrrdVectors.ParseNumbers(text, path, "spacings");
            if (values.Length != dimension)
                throw new VolumeFormatException(path, "spacings", $"has {values.Length} entries; dimension is {dimension}");
            for (int c = 0; c < 3; c++)
            {
                spacing[c] = values[spatial[c]];
                if (!(spacing[c] > 0) || !double.IsFinite(spacing[c]))
                    throw new VolumeFormatException(path, "spacings", $"axis {spatial[c]} has spacing {NrrdVectors.Number(spacing[c])}; it must be a positive number");
            }
        }
        return new ImageGeometry(shape, new Vec3(spacing[0], spacing[1], spacing[2]), Origin(header, space, path), Mat3.Identity);
    }

    private static Vec3 Origin(NrrdHeader header, NrrdSpace space, string path) =>
        header.Field("space origin") is string text
            ? NrrdTypes.ToLps(NrrdVectors.ParseOne(text, path, "space origin"), space)
            : Vec3.Zero;

    private static long ParseSkip(string? text, string field, long min, string path)
    {
        if (text is null) return 0;
        if (!long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) || v < min)
            throw new VolumeFormatException(path, field, $"'{text}' is not {(min < 0 ? "-1 or " : "")}a non-negative integer");
        return v;
    }

    private static string ResolveDataFile(string value, string path)
    {
        string name = value.Trim();
        // "name %d min max step [subdim]" spreads the data over numbered files.
        if (name.Length == 0 || (name.Contains('%') && name.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length > 1))
            throw new VolumeFormatException(path, "data file", $"'{value}': only a single data file is supported");
        // The path functions throw ArgumentException on these (NUL on Unix), which is not a bad-input error.
        if (name.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
            throw new VolumeFormatException(path, "data file", "the name holds a character no file name can (a NUL or control character)");
        string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        string full = Path.GetFullPath(Path.Combine(folder, name));
        if (!File.Exists(full))
            throw new VolumeFormatException(path, "data file", $"'{name}' does not exist (looked for {full})");
        // Checked before anything opens it: opening a FIFO with no writer would block the reader for good.
        if (!RegularFiles.IsRegular(full))
            throw new VolumeFormatException(path, "data file", $"'{name}' is not a regular file (a pipe, socket or device cannot hold voxel data)");
        return full;
    }
}
