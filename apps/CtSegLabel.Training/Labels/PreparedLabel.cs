using System.Text.Json.Nodes;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Training.Labels;

/// <summary>
/// One stored label made ready for the trainer, which reads class-table values: the label is read with whatever names
/// its values (<see cref="SubmittedLabelNames"/> — a <c>.seg.nrrd</c>'s segments, else its datastore info), brought to
/// table values (<see cref="ClassTableLabels"/>) and written beside the run. Without that step a label Slicer numbered
/// 1..N in segment order would teach the wrong classes. The server and <c>ctseg train</c> both go through here.
/// </summary>
public static class PreparedLabel
{
    /// <param name="info">The label's datastore info (its stored <c>params</c>), or null when none is known.</param>
    /// <param name="names">Names for the values when neither the file nor its info names them (a dataset's class table).</param>
    /// <param name="folder">Where the table-valued label is written (NIfTI), named by <paramref name="position"/> and id.</param>
    /// <param name="position">The case's place in its list: keeps two ids apart that differ only in characters a file
    /// name cannot hold.</param>
    /// <returns>The training case, and the label's segment names that are no class of the table (trained as background).</returns>
    /// <exception cref="VolumeFormatException">The label file cannot be read.</exception>
    public static (TrainingCase Case, IReadOnlyList<string> Unknown) Write(string id, string imagePath, string labelPath,
        JsonObject? info, string folder, int position, IReadOnlyDictionary<int, string>? names = null)
    {
        string target = Path.Combine(folder, $"{position:D5}_{SafeFileName(id)}.nii.gz");
        var (labels, own) = Read(labelPath, info);
        names = own ?? names;
        var translated = ClassTableLabels.Translate(labels, names);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        NiftiFile.Write(target, translated.Values);
        return (new TrainingCase(id, imagePath, target, translated.Covered), translated.Unknown);
    }

    private static string SafeFileName(string id) =>
        string.Concat(id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_'));

    private static (Volume Labels, IReadOnlyDictionary<int, string>? Names) Read(string path, JsonObject? info)
    {
        var fromInfo = info is null ? null : SubmittedLabelNames.FromLabelInfo(info);
        // A .seg.nrrd names its own segments; a plain label map is named by what came with it into the datastore.
        if (path.EndsWith(".seg.nrrd", StringComparison.OrdinalIgnoreCase))
        {
            var segmentation = NrrdFile.ReadSegmentation(path);
            return (segmentation.Labels, SubmittedLabelNames.FromSegments(segmentation.Segments) ?? fromInfo);
        }
        return (VolumeFile.Read(path), fromInfo);
    }
}
