using CtSegLabel.AppContract;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Models;
using CtSegLabel.Models.Checkpoints;

namespace CtSegLabel.CtApp;

/// <summary>
/// The models folder (server option <c>--models</c>): one subfolder per model name holding its versions as
/// <c>*.ctseg</c> checkpoints. The current version is the file that the subfolder's <c>current</c> file names
/// (one line, a bare file name), else the one whose metadata has the latest <c>CreatedUtc</c>. The folder is
/// looked at on every request, so a version copied in, or a changed <c>current</c>, is served without a
/// restart; networks are loaded once per file stamp and precision and shared by the requests that run them.
/// <see cref="Publish"/> adds a version (<c>v&lt;N&gt;.ctseg</c> plus its <see cref="VersionRecord"/> sidecar) and makes it
/// current; <see cref="Rollback"/> makes an older one current again.
/// </summary>
public sealed class ModelStore : IDisposable
{
    public const string CurrentFileName = "current";

    private readonly Lock _lock = new();
    private readonly Lock _metadataLock = new();
    private readonly Lock _publishLock = new();
    private readonly Dictionary<string, (ModelVersion Version, DateTime? SidecarStamp)> _metadata = new(StringComparer.Ordinal);
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

    /// <summary>Every checkpoint of the model with its record when it has one, newest first (by
    /// <see cref="ModelVersion.CreatedUtc"/>: publication, else the metadata's CreatedUtc; then file name).
    /// A file that is not a readable checkpoint (or sidecar) raises <see cref="ModelFormatException"/> naming it.</summary>
    public IReadOnlyList<ModelVersion> Versions(string model)
    {
        string folder = FolderOf(model);
        if (!Directory.Exists(folder)) return [];
        var versions = new DirectoryInfo(folder).EnumerateFiles("*" + ModelCheckpoint.Extension)
            .Select(Stamped)
            .OrderByDescending(v => v.CreatedUtc).ThenByDescending(v => v.FileName, StringComparer.Ordinal)
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

    /// <summary>
    /// Publishes a checkpoint as the model's next version and makes it current: copies it in as <c>v&lt;N&gt;.ctseg</c>
    /// (N one more than any <c>vN</c> in the folder), writes <paramref name="record"/> beside it as <c>v&lt;N&gt;.json</c>,
    /// then points <c>current</c> at it. The copy's <c>model_version</c> becomes the source's with <c>+v&lt;N&gt;</c> as
    /// build metadata (an earlier <c>+…</c> replaced: <c>0.3.0+v2</c> fine-tuned and published again is <c>0.3.0+v5</c>),
    /// so every result names the published version it came from, as does the file itself wherever it is copied.
    /// Every file is written to a hidden temporary and renamed, so no reader sees half a checkpoint; requests
    /// already running keep the network they leased.
    /// </summary>
    /// <exception cref="ModelFormatException">The file is not a readable checkpoint.</exception>
    /// <exception cref="ArgumentException">The record's source is none of <see cref="VersionRecord.Sources"/>, or the model name is not a bare folder name.</exception>
    public ModelVersion Publish(string model, string checkpointFile, VersionRecord record)
    {
        if (!VersionRecord.Sources.Contains(record.Source))
            throw new ArgumentException($"version source '{record.Source}' is none of {string.Join(", ", VersionRecord.Sources)}", nameof(record));
        if (!VersionNames.IsBare(model)) throw new ArgumentException($"model name '{model}' is not a bare folder name", nameof(model));
        ModelCheckpoint.ReadMetadata(checkpointFile); // refuse a bad file before any number is taken
        string folder = FolderOf(model);
        lock (_publishLock)
        {
            Directory.CreateDirectory(folder);
            while (true)
            {
                int number = VersionNames.Next(folder);
                string target = Path.Combine(folder, VersionNames.FileName(number));
                string temp = Path.Combine(folder, $".publish.{Guid.NewGuid():N}.tmp");
                try
                {
                    var metadata = ModelCheckpoint.CopyWithMetadata(checkpointFile, temp,
                        m => m with { ModelVersion = PublishedVersion(m.ModelVersion, number) });
                    try
                    {
                        // Never overwrites: another process (ctseg, a second server) that claimed vN first keeps it.
                        File.Move(temp, target, overwrite: false);
                    }
                    catch (IOException) when (File.Exists(target))
                    {
                        continue;
                    }
                    (record with { CreatedUtc = DateTimeOffset.UtcNow, ModelVersion = metadata.ModelVersion }).Write(VersionRecord.SidecarOf(target));
                    WriteCurrent(model, Path.GetFileName(target));
                    return Stamped(new FileInfo(target));
                }
                finally
                {
                    if (File.Exists(temp)) File.Delete(temp);
                }
            }
        }
    }

    /// <summary>Makes <paramref name="version"/> (<c>v3</c> or <c>v3.ctseg</c>) the current version from the next
    /// request on, without a restart; requests running keep theirs.</summary>
    /// <exception cref="ModelVersionNotFoundException">No such version; the message lists the model's versions.</exception>
    public ModelVersion Rollback(string model, string version)
    {
        string name = VersionNames.Normalize(version);
        var versions = Versions(model);
        var chosen = (VersionNames.IsBare(name) ? versions.FirstOrDefault(v => v.FileName == name) : null)
            ?? throw new ModelVersionNotFoundException(model, versions.Count == 0
                ? $"Model '{model}' has no versions (no *{ModelCheckpoint.Extension} in {FolderOf(model)})"
                : $"Model '{model}' has no version '{version}'; its versions: {string.Join(", ", versions.Select(v => v.FileName))}");
        WriteCurrent(model, chosen.FileName);
        return chosen;
    }

    /// <summary><paramref name="source"/> without its build metadata, plus <c>+v&lt;N&gt;</c>.</summary>
    public static string PublishedVersion(string source, int number)
    {
        int plus = source.IndexOf('+', StringComparison.Ordinal);
        string core = plus < 0 ? source : source[..plus];
        return $"{(core.Length == 0 ? "0.0.0" : core)}+v{number.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    private void WriteCurrent(string model, string fileName) =>
        AtomicFile.Write(Path.Combine(FolderOf(model), CurrentFileName), stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            writer.Write(fileName + "\n");
        });

    /// <summary>Metadata and record of a file, read again only when the checkpoint's or the sidecar's stamp changed
    /// (reading is cheap, but every request asks).</summary>
    private ModelVersion Stamped(FileInfo file)
    {
        lock (_metadataLock)
        {
            var sidecar = new FileInfo(VersionRecord.SidecarOf(file.FullName));
            DateTime? sidecarStamp = sidecar.Exists ? sidecar.LastWriteTimeUtc : null;
            if (_metadata.TryGetValue(file.FullName, out var known) && known.Version.SameFileAs(file) && known.SidecarStamp == sidecarStamp)
                return known.Version;
            var version = ModelVersion.Read(file.FullName);
            _metadata[file.FullName] = (version, sidecarStamp);
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
