using System.Reflection;
using System.Runtime.Loader;
using CtSegLabel.AppContract;
using CtSegLabel.CtApp;
using CtSegLabel.PluginAdapter.Labels;

namespace CtSegLabel.Server.Hosting;

/// <summary>
/// Loads the configured app: the CT app (<see cref="CtSegmentationApp"/>, models from <c>--models</c>), or the one public
/// <see cref="ISegmentationApp"/> in the assembly given by <c>--app</c>, constructed with an
/// <see cref="AppEnvironment"/> (or without arguments). The app's own dependencies are resolved from
/// its folder; assemblies the server already has (the app contract, the imaging library) are shared,
/// so the app's types and the server's are the same types.
/// </summary>
public static class AppLoader
{
    public static ISegmentationApp Load(ServerOptions options, ILogger logger)
    {
        var environment = new AppEnvironment(options.StudiesPath, options.ModelsPath);
        Directory.CreateDirectory(environment.ModelsPath);
        if (string.IsNullOrWhiteSpace(options.App))
        {
            var ct = new CtSegmentationApp(environment);
            logger.LogInformation("Running the CT app on {Device}: models [{Models}] from {Folder}", ct.Store.Device,
                string.Join(", ", ct.InferTasks.Select(t => $"{t.Name}: {(t.ModelPath is { } p ? Path.GetFileName(p) : "no checkpoint")}")), environment.ModelsPath);
            return ct;
        }

        string path = Path.GetFullPath(options.App);
        if (!File.Exists(path)) throw new AppLoadException($"--app {path}: no such file");
        var assembly = new AppLoadContext(path).LoadFromAssemblyPath(path);
        var candidates = assembly.GetExportedTypes()
            .Where(t => typeof(ISegmentationApp).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .ToList();
        if (candidates.Count != 1)
            throw new AppLoadException($"--app {path}: expected exactly one public ISegmentationApp, found {candidates.Count}" +
                (candidates.Count > 1 ? $" ({string.Join(", ", candidates.Select(c => c.FullName))})" : ""));

        var type = candidates[0];
        var app = type.GetConstructor([typeof(AppEnvironment)]) is { } withEnvironment
            ? (ISegmentationApp)withEnvironment.Invoke([environment])
            : type.GetConstructor(Type.EmptyTypes) is { } plain
                ? (ISegmentationApp)plain.Invoke(null)
                : throw new AppLoadException($"--app {path}: {type.FullName} needs a constructor taking AppEnvironment, or none");
        logger.LogInformation("Loaded app {Name} {Version} from {Path}: models [{Models}], trainers [{Trainers}]", app.Name, app.Version, path,
            string.Join(", ", app.InferTasks.Select(t => t.Name)), string.Join(", ", app.TrainTasks.Select(t => t.Name)));
        foreach (var task in app.InferTasks)
            if (!LabelTable.FromNames(task.Labels).IsContiguous)
                logger.LogWarning("Model {Model}: label values {Values} are not 1..N; Slicer names voxel value k after the k-th label " +
                    "by value, so its segments will be misnamed", task.Name, string.Join(", ", task.Labels.Values.Where(v => v != 0).Order()));
        return app;
    }

    private sealed class AppLoadContext(string appPath) : AssemblyLoadContext(Path.GetFileNameWithoutExtension(appPath))
    {
        private readonly AssemblyDependencyResolver _resolver = new(appPath);

        protected override Assembly? Load(AssemblyName name)
        {
            // Prefer the server's copy of anything it has: shared contract types must be identical.
            try
            {
                return Default.LoadFromAssemblyName(name);
            }
            catch (FileNotFoundException)
            {
                return _resolver.ResolveAssemblyToPath(name) is { } path ? LoadFromAssemblyPath(path) : null;
            }
        }

        protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
            _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
    }
}

/// <summary>The configured app cannot be loaded; the message says why.</summary>
public sealed class AppLoadException(string message) : Exception(message);
