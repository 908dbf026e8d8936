using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Formats;

/// <summary>
/// NRRD (.nrrd with attached data, .nhdr with a detached data file) and 3D Slicer's .seg.nrrd.
/// Reading accepts NRRD0001–NRRD0005, the eight voxel types in every spelling of the specification,
/// raw/gzip/ascii/hex data in either byte order, LPS/RAS/LAS spaces (converted to our LPS world) or
/// the older "spacings", and 4-D data whose extra axis has one value per voxel. Writing produces
/// NRRD0004, LPS, gzip (raw at compression level 0). Bad input raises <see cref="VolumeFormatException"/>
/// naming the file and the field.
/// </summary>
public static class NrrdFile
{
    public static Volume Read(string path, ReadOptions? options = null) => ReadImage(path, options).Volume;

    public static void Write(string path, Volume volume, WriteOptions? options = null) =>
        NrrdWriter.Write(path, volume, [], options);

    /// <summary>Reads the volume and the header's key/value pairs. A Slicer segmentation stored with
    /// several layers comes back flattened, as <see cref="ReadSegmentation"/> describes.</summary>
    public static NrrdImage ReadImage(string path, ReadOptions? options = null)
    {
        options ??= ReadOptions.Default;
        var header = ReadHeader(path);
        var layout = NrrdLayout.From(header, path, options);
        if (ReadsSegments(header, layout, path, VolumeFormat.Nrrd))
            return new NrrdImage(ReadLayers(header, layout, path, options).Labels, header.KeyValues);
        return new NrrdImage(ReadVolume(header, layout, options), header.KeyValues);
    }

    /// <summary>Writes the volume with the given key/value pairs in its header.</summary>
    public static void WriteImage(string path, NrrdImage image, WriteOptions? options = null) =>
        NrrdWriter.Write(path, image.Volume, image.KeyValues, options);

    /// <summary>The header and its layout checked as a read would check them, and the data file opened and positioned
    /// (a missing or short raw payload, a pipe, a gzip payload declaring more than the limit are refused), without
    /// reading the voxels.</summary>
    internal static VolumeHeader InspectHeader(string path, VolumeFormat format, ReadOptions options)
    {
        var header = ReadHeader(path);
        var layout = NrrdLayout.From(header, path, options);
        if (ReadsSegments(header, layout, path, format))
            SlicerSegmentMetadata.Parse(header, (int)layout.ExtraSize, path);
        NrrdDataReader.Open(layout, header.DataOffset, options).Dispose();
        return new VolumeHeader(format, layout.Geometry, layout.Type, layout.ByteCount);
    }

    /// <summary>Only the header (to inspect a file's fields without reading its voxels).</summary>
    public static NrrdHeader ReadHeader(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        return NrrdHeader.Read(file, path);
    }

    /// <summary>
    /// Reads a .seg.nrrd as one label map with every segment's name and colour. A file with several
    /// layers (overlapping segments, written 4-D with a list axis) is flattened: each segment keeps its
    /// label value unless an earlier segment already uses it, then it gets the next free value above all
    /// declared ones; where segments overlap the one listed last wins (Slicer's drawing order). All
    /// returned segments are in layer 0 of the returned map. A plain 3-D label map without Segment
    /// fields is named like <see cref="VolumeFile.SegmentationFromLabels"/>.
    /// </summary>
    public static Segmentation ReadSegmentation(string path, ReadOptions? options = null)
    {
        options ??= ReadOptions.Default;
        var header = ReadHeader(path);
        var layout = NrrdLayout.From(header, path, options);
        if (ReadsSegments(header, layout, path, VolumeFormat.SegNrrd)) return ReadLayers(header, layout, path, options);
        var labels = ReadVolume(header, layout, options);
        try
        {
            return VolumeFile.SegmentationFromLabels(labels);
        }
        catch (ArgumentException e)
        {
            throw new VolumeFormatException(path, "data", e.Message, e);
        }
    }

    /// <summary>
    /// Writes a label map as a one-layer .seg.nrrd that 3D Slicer opens as named, coloured segments:
    /// the smallest unsigned type that holds the values (unsigned char up to 255), each segment's
    /// extent computed from the voxels, the segments in the order given (their Layer is ignored: there
    /// is one layer).
    /// </summary>
    public static void WriteSegmentation(string path, Segmentation segmentation, WriteOptions? options = null)
    {
        var segments = segmentation.Segments;
        CheckSegments(segments);
        var labels = segmentation.Labels;
        var extents = LabelMapScan.Extents(labels);
        long max = Math.Max(extents.Count == 0 ? 0 : extents.Keys.Max(), segments.Count == 0 ? 0 : segments.Max(s => s.LabelValue));
        var type = max <= byte.MaxValue ? VoxelType.UInt8
            : max <= ushort.MaxValue ? VoxelType.UInt16
            : max <= uint.MaxValue ? VoxelType.UInt32
            : throw new ArgumentException($"label value {max} does not fit a 32-bit label map", nameof(segmentation));
        var volume = labels.VoxelType == type ? labels : labels.ConvertTo(type);
        NrrdWriter.Write(path, volume, SlicerSegmentMetadata.Format(segments, extents, labels.Geometry), options);
    }

    private static Volume ReadVolume(NrrdHeader header, NrrdLayout layout, ReadOptions options)
    {
        using var reader = NrrdDataReader.Open(layout, header.DataOffset, options);
        var volume = Volume.Create(layout.Type, layout.Geometry);
        reader.FillVolume(volume);
        reader.EnsureEnd(options);
        return volume;
    }

    /// <summary>
    /// Whether a read of <paramref name="format"/> takes the file's Segment fields (and merges its layers), one
    /// decision for the reads and <see cref="InspectHeader"/>: a .seg.nrrd reads them whenever it has them; a plain
    /// .nrrd only when it has layers, which only a Slicer segmentation may have. A file with layers that a read cannot
    /// merge is refused here, before any voxel is read.
    /// </summary>
    private static bool ReadsSegments(NrrdHeader header, NrrdLayout layout, string path, VolumeFormat format)
    {
        bool segmentation = SlicerSegmentMetadata.IsSegmentation(header);
        if (format == VolumeFormat.SegNrrd)
        {
            if (!segmentation && layout.HasLayers)
                throw new VolumeFormatException(path, "Segment0_ID",
                    $"the file has {layout.ExtraSize} layers but no Segment fields saying which value of which layer is which segment");
            return segmentation;
        }
        if (layout.HasLayers && !segmentation)
            throw new VolumeFormatException(path, "sizes",
                $"axis {layout.ExtraAxis} holds {layout.ExtraSize} values per voxel; a scalar volume holds one (only a Slicer segmentation's layers are merged)");
        return layout.HasLayers;
    }

    private static Segmentation ReadLayers(NrrdHeader header, NrrdLayout layout, string path, ReadOptions options)
    {
        var segments = SlicerSegmentMetadata.Parse(header, (int)layout.ExtraSize, path);
        using var reader = NrrdDataReader.Open(layout, header.DataOffset, options);
        var segmentation = SegmentationLayers.Read(reader, layout, segments, path);
        reader.EnsureEnd(options);
        return segmentation;
    }

    private static void CheckSegments(IReadOnlyList<SegmentInfo> segments)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var values = new HashSet<int>();
        foreach (var s in segments)
        {
            if (string.IsNullOrEmpty(s.Id)) throw new ArgumentException("a segment needs a non-empty Id", nameof(segments));
            if (!ids.Add(s.Id)) throw new ArgumentException($"segment Id '{s.Id}' is used twice", nameof(segments));
            if (s.LabelValue <= 0) throw new ArgumentException($"segment '{s.Id}' has label value {s.LabelValue}; values start at 1", nameof(segments));
            if (!values.Add(s.LabelValue)) throw new ArgumentException($"label value {s.LabelValue} belongs to two segments", nameof(segments));
        }
    }
}
