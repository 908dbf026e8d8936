using CtSegLabel.AppContract;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Training;
using CtSegLabel.Training.Labels;

namespace CtSegLabel.CtApp;

/// <summary>
/// The datastore's <c>final</c> labels as training cases, each brought to class-table values in the run's folder
/// (<see cref="PreparedLabel"/>) with the names its datastore info gives. Images whose label cannot be read are
/// skipped and reported, not fatal: one bad submission must not block a team's fine-tune.
/// </summary>
public static class TrainingLabels
{
    public static IReadOnlyList<TrainingCase> Prepare(IDatastoreView datastore, string folder, IProgress<string> progress,
        CancellationToken cancellation)
    {
        var cases = new List<TrainingCase>();
        foreach (string id in datastore.LabeledImages(IDatastoreView.FinalTag))
        {
            cancellation.ThrowIfCancellationRequested();
            if (datastore.LabelPath(id, IDatastoreView.FinalTag) is not { } labelPath) continue;
            try
            {
                var (prepared, unknown) = PreparedLabel.Write(id, datastore.ImagePath(id), labelPath,
                    datastore.LabelInfo(id, IDatastoreView.FinalTag), folder, cases.Count);
                if (unknown.Count > 0)
                    progress.Report($"{id}: segments {string.Join(", ", unknown)} are no class of the CT table; trained as background");
                cases.Add(prepared);
            }
            catch (VolumeFormatException e)
            {
                progress.Report($"{id}: skipped, its final label cannot be read ({e.Message})");
            }
        }
        return cases;
    }
}
