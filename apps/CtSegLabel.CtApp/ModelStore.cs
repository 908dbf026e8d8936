using CtSegLabel.Models;
using CtSegLabel.Models.Checkpoints;

namespace CtSegLabel.CtApp;

/// <summary>
/// The models folder (server option <c>--models</c>): one subfolder per model name holding its versions as
/// <c>*.ctseg</c> checkpoints. The current version is the file that the subfolder's <c>current</c> file names
/// (one line, a bare file name), else the one whose metadata has the latest <c>CreatedUtc</c>. The folder is
/// looked at on every request, so a version copied in, or a changed <c>current</c>, is served without a
/// restart; networks are loaded once per file stamp and precision and shared by the requests that run them.
/// </summary>
public sealed class ModelStore : IDisposable
{
    public const string CurrentFileName = "current";

    private readonly Lock _lock = new();
    private readonly Lock _metadataLock = new();
    private readonly Dictionary<string, ModelVersion> _metadata = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Model, Precision Precision), LoadedModel> _loaded = [];
    private bool _disposed;

    public ModelStore(string root, ComputeDevice device)
    {
        Root = Path.GetFullPath(root);
        Device = device;
    }

    public string Root { get; }

    /// <summary>Where networks run; its precision is the default when a request names none.</summary>
    public ComputeDevice Device { get; }

    public string FolderOf(string model) => Path.Combine(Root, model);

    /// <summary>Every checkpoint of the model, newest first (by metadata CreatedUtc, then file name).
    /// A file that is not a readable checkpoint raises <see cref="ModelFormatException"/> naming it.</summary>
    public IReadOnlyList<ModelVersion> Versions(string model)
    {
        string folder = FolderOf(model);
        if (!Directory.Exists(folder)) return [];
        var versions = new DirectoryInfo(folder).EnumerateFiles("*" + ModelCheckpoint.Extension)
            .Select(Stamped)
            .OrderByDescending(v => v.Metadata.CreatedUtc).ThenByDescending(v => v.FileName, StringComparer.Ordinal)
            .ToList();
        return versions;
    }

    /// <summary>The version requests should run, or null when the model has none.</summary>
    public ModelVersion? Current(string model)
    {
        string named = Path.Combine(FolderOf(model), CurrentFileName);
        if (!File.Exists(named)) return Versions(model).FirstOrDefault();
        string name = File.ReadLines(named).FirstOrDefault()?.Trim() ?? "";
        if (name.Length == 0)
            throw new ModelFormatException(named, CurrentFileName, "is empty: write the file name of one version (e.g. v2.ctseg) on its first line, or delete it to use the newest");
        if (name != Path.GetFileName(name) || name is "." or "..")
            throw new ModelFormatException(named, CurrentFileName, $"'{name}' is not a bare file name of a version in {FolderOf(model)}");
        var file = new FileInfo(Path.Combine(FolderOf(model), name));
        if (!file.Exists) throw new ModelFormatException(named, CurrentFileName, $"names '{name}', which is not in {FolderOf(model)}");
        return Stamped(file);
    }

    /// <summary>A lease on the current version's network in <paramref name="precision"/>, loading it when the
    /// file (or its stamp) differs from the one loaded before; null when the model has no version. The
    /// network it replaces is disposed once the requests still running it are done.</summary>
    /// <param name="architecture">When given, a current version of another architecture is refused
    /// (<see cref="ModelFormatException"/>) before its weights are read.</param>
    public ModelLease? Acquire(string model, Precision precision, string? architecture = null)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var current = Current(model);
            if (current is null) return null;
            if (architecture is not null && current.Metadata.Architecture.Name != architecture)
                throw new ModelFormatException(current.Path, "architecture",
                    $"is {current.Metadata.Architecture.Name}, but the model '{model}' runs {architecture} checkpoints");
            var key = (model, precision);
            if (_loaded.TryGetValue(key, out var loaded) && loaded.Version.Path == current.Path
                && loaded.Version.WriteTimeUtc == current.WriteTimeUtc && loaded.Version.Length == current.Length)
                return loaded.Lease();

            var fresh = LoadedModel.Load(current, Device with { Precision = precision });
            if (loaded is not null) loaded.Release();
            _loaded[key] = fresh;
            return fresh.Lease();
        }
    }

    /// <summary>Metadata of a file, read again only when its stamp changed (reading is cheap, but every request asks).</summary>
    private ModelVersion Stamped(FileInfo file)
    {
        lock (_metadataLock)
        {
            if (_metadata.TryGetValue(file.FullName, out var known) && known.SameFileAs(file)) return known;
            var version = ModelVersion.Read(file.FullName);
            _metadata[file.FullName] = version;
            return version;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (var model in _loaded.Values) model.Release();
            _loaded.Clear();
        }
    }
}
