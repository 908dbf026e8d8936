namespace CtSegLabel.Server.Datastore;

/// <summary>
/// How file names map to ids and extensions. The extension is the LONGEST known suffix (so
/// <c>a.nii.gz</c> is id <c>a</c>, ext <c>.nii.gz</c>), matched case-insensitively, as MONAI Label does
/// with its <c>MONAI_LABEL_DATASTORE_FILE_EXT</c> list. Labels also know <c>.seg.nrrd</c> (Slicer's
/// segmentation file) and <c>.json</c> (detection results).
/// </summary>
public sealed class FileNameRules
{
    private static readonly string[] ExtraLabelExtensions = [".seg.nrrd", ".json"];

    public FileNameRules(IEnumerable<string> imageExtensions)
    {
        ImageExtensions = Normalise(imageExtensions);
        LabelExtensions = Normalise(ImageExtensions.Concat(ExtraLabelExtensions));
    }

    /// <summary>Known image extensions, longest first.</summary>
    public IReadOnlyList<string> ImageExtensions { get; }

    /// <summary>Known label extensions, longest first.</summary>
    public IReadOnlyList<string> LabelExtensions { get; }

    public bool TrySplitImage(string fileName, out string id, out string ext) => TrySplit(fileName, ImageExtensions, out id, out ext);

    public bool TrySplitLabel(string fileName, out string id, out string ext) => TrySplit(fileName, LabelExtensions, out id, out ext);

    /// <summary>The known extension of an uploaded file's name (the client may send a full local path,
    /// even a Windows one), as it is cased in the name; null when it has none.</summary>
    public static string? ExtensionOf(string uploadedName, IReadOnlyList<string> known)
    {
        string bare = BareName(uploadedName);
        return TrySplit(bare, known, out _, out string ext) ? ext : null;
    }

    /// <summary>The last component of a path written with either separator.</summary>
    public static string BareName(string name) => name[(name.LastIndexOfAny(['/', '\\']) + 1)..];

    private static bool TrySplit(string fileName, IReadOnlyList<string> known, out string id, out string ext)
    {
        foreach (string e in known)
        {
            if (fileName.Length > e.Length && fileName.EndsWith(e, StringComparison.OrdinalIgnoreCase))
            {
                id = fileName[..^e.Length];
                ext = fileName[^e.Length..];
                return true;
            }
        }
        id = ext = "";
        return false;
    }

    private static string[] Normalise(IEnumerable<string> extensions) => extensions
        .Select(e => e.Trim().TrimStart('*'))
        .Where(e => e.Length > 1 && e[0] == '.')
        .Select(e => e.ToLowerInvariant())
        .Distinct(StringComparer.Ordinal)
        .OrderByDescending(e => e.Length)
        .ToArray();
}
