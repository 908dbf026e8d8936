using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Formats;

/// <summary>The file formats we read and write, chosen by file name.</summary>
public enum VolumeFormat
{
    Nifti,
    Nrrd,
    SegNrrd,
}

/// <summary>Reads and writes any supported format, choosing by extension (.nii, .nii.gz, .nrrd, .nhdr, .seg.nrrd).</summary>
public static class VolumeFile
{
    public static VolumeFormat FormatOf(string path)
    {
        string name = Path.GetFileName(path).ToLowerInvariant();
        if (name.EndsWith(".seg.nrrd", StringComparison.Ordinal)) return VolumeFormat.SegNrrd;
        if (name.EndsWith(".nii", StringComparison.Ordinal) || name.EndsWith(".nii.gz", StringComparison.Ordinal)) return VolumeFormat.Nifti;
        if (name.EndsWith(".nrrd", StringComparison.Ordinal) || name.EndsWith(".nhdr", StringComparison.Ordinal)) return VolumeFormat.Nrrd;
        throw new VolumeFormatException(path, "file name", "unknown extension; expected .nii, .nii.gz, .nrrd, .nhdr or .seg.nrrd");
    }

    /// <summary>The extensions <see cref="FormatOf"/> knows, longest first (so ".seg.nrrd" wins over ".nrrd").</summary>
    private static readonly string[] Extensions = [".seg.nrrd", ".nii.gz", ".nii", ".nrrd", ".nhdr"];

    /// <summary>Whether the file name has an extension this class reads.</summary>
    public static bool IsVolumePath(string path) => ExtensionOf(path) is not null;

    /// <summary>The file name without its volume extension ("case_01.nii.gz" → "case_01").</summary>
    public static string Stem(string path)
    {
        string name = Path.GetFileName(path);
        return ExtensionOf(name) is { } ext ? name[..^ext.Length] : Path.GetFileNameWithoutExtension(name);
    }

    private static string? ExtensionOf(string path) =>
        Extensions.FirstOrDefault(e => path.EndsWith(e, StringComparison.OrdinalIgnoreCase));

    public static Volume Read(string path, ReadOptions? options = null) => FormatOf(path) switch
    {
        VolumeFormat.Nifti => NiftiFile.Read(path, options),
        VolumeFormat.SegNrrd => NrrdFile.ReadSegmentation(path, options).Labels,
        _ => NrrdFile.Read(path, options),
    };

    /// <summary>Reads and checks only the header (and, for NRRD, where its data lie): a header declaring more than
    /// <paramref name="options"/> allow, an unknown format, a truncated uncompressed file or a detached data file that
    /// is missing or not a regular file raise <see cref="VolumeFormatException"/>, as <see cref="Read"/> would. Corrupt
    /// or excess compressed voxel data are NOT detected: only a full read inflates them.</summary>
    public static VolumeHeader ReadHeader(string path, ReadOptions? options = null)
    {
        options ??= ReadOptions.Default;
        var format = FormatOf(path);
        return format == VolumeFormat.Nifti ? NiftiFile.InspectHeader(path, options) : NrrdFile.InspectHeader(path, format, options);
    }

    public static void Write(string path, Volume volume, WriteOptions? options = null)
    {
        switch (FormatOf(path))
        {
            case VolumeFormat.Nifti: NiftiFile.Write(path, volume, options); break;
            case VolumeFormat.SegNrrd: NrrdFile.WriteSegmentation(path, SegmentationFromLabels(volume), options); break;
            default: NrrdFile.Write(path, volume, options); break;
        }
    }

    /// <summary>Names every non-zero value of a label map: by the ground-truth class table when the value
    /// is in it, else "label_{value}". Used when a plain label map is written as .seg.nrrd. Segments are
    /// in ascending value order; values present only. Negative or fractional values raise
    /// <see cref="ArgumentException"/> (a label map holds non-negative whole numbers).</summary>
    public static Segmentation SegmentationFromLabels(Volume labels) =>
        new(labels, LabelMapScan.Extents(labels).Keys.Select(LabelSegmentNames.ForValue).ToList());
}
