using CtSegLabel.AppContract;
using CtSegLabel.CtApp;

namespace CtSegLabel.Compute.Apps;

/// <summary>
/// Loads the app a host runs — the server, or a `ctseg worker` on another machine — the same way in both, so a
/// job runs the same code wherever it lands: the CT app (<see cref="CtSegmentationApp"/>) by default, or the one
/// public <see cref="ISegmentationApp"/> in the assembly at <c>--app PATH</c>, constructed with the
/// <see cref="AppEnvironment"/> (or without arguments when it has no such constructor).
/// </summary>
public static class AppAssembly
{
    /// <summary>Creates the models folder and the app.</summary>
    /// <param name="appPath">The <c>--app</c> assembly, or null/blank for the CT app.</param>
    /// <exception cref="AppLoadException">No such file, not exactly one public app in it, or no usable constructor.</exception>
    public static ISegmentationApp Load(string? appPath, AppEnvironment environment)
    {
        Directory.CreateDirectory(environment.ModelsPath);
        if (string.IsNullOrWhiteSpace(appPath)) return new CtSegmentationApp(environment);

        string path = Path.GetFullPath(appPath);
        if (!File.Exists(path)) throw new AppLoadException($"--app {path}: no such file");
        var assembly = new AppLoadContext(path).LoadFromAssemblyPath(path);
        var candidates = assembly.GetExportedTypes()
            .Where(t => typeof(ISegmentationApp).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .ToList();
        if (candidates.Count != 1)
            throw new AppLoadException($"--app {path}: expected exactly one public ISegmentationApp, found {candidates.Count}" +
                (candidates.Count > 1 ? $" ({string.Join(", ", candidates.Select(c => c.FullName))})" : ""));

        var type = candidates[0];
        return type.GetConstructor([typeof(AppEnvironment)]) is { } withEnvironment
            ? (ISegmentationApp)withEnvironment.Invoke([environment])
            : type.GetConstructor(Type.EmptyTypes) is { } plain
                ? (ISegmentationApp)plain.Invoke(null)
                : throw new AppLoadException($"--app {path}: {type.FullName} needs a constructor taking AppEnvironment, or none");
    }
}
