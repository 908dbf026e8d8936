using CtSegLabel.AppContract;

namespace CtSegLabel.Compute.Handlers;

/// <summary>
/// The model versions a worker would run now (model name → version), for its announcements: the current version's
/// name where the app keeps versions (<see cref="IModelVersions"/>), else the file name of the task's weights, else
/// nothing for that model. Asked at every READY and REPLY, so a version published or rolled back since shows up.
/// </summary>
public static class AppVersions
{
    public static IReadOnlyDictionary<string, string> Of(ISegmentationApp app)
    {
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var task in app.InferTasks)
            if (Of(app, task) is { } version)
                versions[task.Name] = version;
        return versions;
    }

    /// <summary>The version one model would run now, or null (what the server asks on every infer: one model, not all).</summary>
    public static string? Of(ISegmentationApp app, IInferTask task)
    {
        if (app is IModelVersions store)
        {
            try
            {
                return store.ListVersions(task.Name).FirstOrDefault(v => v.Current)?.Name;
            }
            catch (ModelVersionNotFoundException)
            {
                // A task whose weights the app does not keep as versions: its file is what it runs.
            }
            catch (ModelUnavailableException)
            {
                // A models folder the store cannot read: announce nothing for the model; its jobs fail with the
                // store's own message, where someone reads it.
                return null;
            }
        }
        return task.ModelPath is { } path ? Path.GetFileName(path) : null;
    }
}
