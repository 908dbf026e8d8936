using CtSegLabel.AppContract;
using CtSegLabel.Compute.Apps;
using CtSegLabel.CtApp;
using CtSegLabel.PluginAdapter.Labels;

namespace CtSegLabel.Server.Hosting;

/// <summary>
/// Loads the configured app through <see cref="AppAssembly"/> (the CT app with models from <c>--models</c>, or the one
/// public <see cref="ISegmentationApp"/> of the assembly given by <c>--app</c>), as `ctseg worker` does, and says in the
/// log what it runs. What only matters to Slicer stays here: a warning when a model's label values are not 1..N.
/// </summary>
public static class AppLoader
{
    /// <exception cref="AppLoadException">The <c>--app</c> assembly cannot be used; the message says why.</exception>
    public static ISegmentationApp Load(ServerOptions options, ILogger logger)
    {
        var environment = new AppEnvironment(options.StudiesPath, options.ModelsPath);
        var app = AppAssembly.Load(options.App, environment);
        if (string.IsNullOrWhiteSpace(options.App) && app is CtSegmentationApp ct)
        {
            logger.LogInformation("Running the CT app on {Device}: models [{Models}] from {Folder}", ct.Store.Device,
                string.Join(", ", ct.InferTasks.Select(t => $"{t.Name}: {(t.ModelPath is { } p ? Path.GetFileName(p) : "no checkpoint")}")), environment.ModelsPath);
            return ct;
        }

        logger.LogInformation("Loaded app {Name} {Version} from {Path}: models [{Models}], trainers [{Trainers}]", app.Name, app.Version,
            Path.GetFullPath(options.App!), string.Join(", ", app.InferTasks.Select(t => t.Name)), string.Join(", ", app.TrainTasks.Select(t => t.Name)));
        foreach (var task in app.InferTasks)
            if (!LabelTable.FromNames(task.Labels).IsContiguous)
                logger.LogWarning("Model {Model}: label values {Values} are not 1..N; Slicer names voxel value k after the k-th label " +
                    "by value, so its segments will be misnamed", task.Name, string.Join(", ", task.Labels.Values.Where(v => v != 0).Order()));
        return app;
    }
}
