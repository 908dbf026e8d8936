using CtSegLabel.AppContract;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Training;
using CtSegLabel.Training.Labels;

namespace CtSegLabel.CtApp;

/// <summary>
/// The datastore's <c>final</c> labels as training cases: each label is read with whatever names its values
/// (<see cref="SubmittedLabelNames"/>), brought to class-table values (<see cref="ClassTableLabels"/>) and written
/// into the run's folder — the trainer reads table values, and a label Slicer numbered 1..N in segment order would
/// otherwise teach the wrong classes. Images whose label cannot be read are skipped and reported, not fatal: one bad
/// submission must not block a team's fine-tune.
/// </summary>
public static class TrainingLabels
{
    public static IReadOnlyList<TrainingCase> Prepare(IDatastoreView datastore, string folder, IProgress<string> progress,
        CancellationToken cancellation)
    {
        Directory.CreateDirectory(folder);
        var cases = new List<TrainingCase>();
        foreach (string id in datastore.LabeledImages(IDatastoreView.FinalTag))
        {
            cancellation.ThrowIfCancellationRequested();
            string? labelPath = datastore.LabelPath(id, IDatastoreView.FinalTag);
            if (labelPath is null) continue;
            try
            {
                var (labels, names) = Read(labelPath, datastore.LabelInfo(id, IDatastoreView.FinalTag));
                var translated = ClassTableLabels.Translate(labels, names);
                if (translated.Unknown.Count > 0)
                    progress.Report($"{id}: segments {string.Join(", ", translated.Unknown)} are no class of the CT table; trained as background");
                // The position keeps two ids that differ only in characters a file name cannot hold apart.
                string target = Path.Combine(folder, $"{cases.Count:D5}_{SafeFileName(id)}.nii.gz");
                NiftiFile.Write(target, translated.Values);
                cases.Add(new TrainingCase(id, datastore.ImagePath(id), target, translated.Covered));
            }
            catch (VolumeFormatException e)
            {
                progress.Report($"{id}: skipped, its final label cannot be read ({e.Message})");
            }
        }
        return cases;
    }

    private static (CtSegLabel.Imaging.Volumes.Volume Labels, IReadOnlyDictionary<int, string>? Names) Read(string path,
        System.Text.Json.Nodes.JsonObject info)
    {
        // A .seg.nrrd names its own segments; any other file is named by what came with it into the datastore.
        if (path.EndsWith(".seg.nrrd", StringComparison.OrdinalIgnoreCase))
        {
            var segmentation = NrrdFile.ReadSegmentation(path);
            return (segmentation.Labels, SubmittedLabelNames.FromSegments(segmentation.Segments) ?? SubmittedLabelNames.FromLabelInfo(info));
        }
        return (VolumeFile.Read(path), SubmittedLabelNames.FromLabelInfo(info));
    }

    /// <summary>Datastore ids are validated names already; this only keeps a file name a file name.</summary>
    private static string SafeFileName(string id) =>
        string.Concat(id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_'));
}
