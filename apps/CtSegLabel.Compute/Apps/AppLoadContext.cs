using System.Reflection;
using System.Runtime.Loader;

namespace CtSegLabel.Compute.Apps;

/// <summary>
/// Where an app assembly given by path lives: its own dependencies resolve from its folder (its deps.json), while
/// every assembly the host already has (the app contract, the imaging library) comes from the host, so the app's
/// <c>ISegmentationApp</c> is the host's type and not a look-alike from a second copy.
/// </summary>
internal sealed class AppLoadContext(string appPath) : AssemblyLoadContext(Path.GetFileNameWithoutExtension(appPath))
{
    private readonly AssemblyDependencyResolver _resolver = new(appPath);

    protected override Assembly? Load(AssemblyName name)
    {
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
