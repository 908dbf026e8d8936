using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.PluginAdapter.Wire;
using CtSegLabel.Server.Errors;
using CtSegLabel.Server.Validation;

namespace CtSegLabel.Server.Datastore;

/// <summary>
/// A MONAI Label–compatible local datastore: images at the studies root, labels in
/// <c>labels/&lt;tag&gt;/&lt;id&gt;&lt;ext&gt;</c>, metadata in <c>datastore_v2.json</c>.
/// <para>Consistency: one lock guards the in-memory model and every rename/delete of a datastore file,
/// so a reader never sees a label entry without its file. Files are written to a hidden temporary
/// beside their target and renamed into place; the JSON is rewritten atomically after each change, and
/// concurrent changes coalesce into as few writes as possible (a write always holds every change made
/// before it started). Listings are answered from a serialized snapshot cached per change.</para>
/// <para>Files added or removed behind the server's back (an image copied into the folder) are picked up
/// by a reconcile, triggered by a file-system watcher, or, where watching is impossible, by comparing
/// directory timestamps before each read.</para>
/// <para>Versions and crashes (docs/datastore.md): a label saved over an existing one keeps the old file under
/// <c>labels/&lt;tag&gt;/.versions/&lt;id&gt;/</c> and its record in the info's <c>versions</c>; a save is journaled
/// (<see cref="PendingSaves"/>) so a kill at any moment leaves it complete or absent; renames are made durable with
/// a directory fsync; every JSON write first refreshes <c>datastore_v2.json.bak</c>, which the start falls back to
/// when the JSON is damaged (<see cref="DatastoreRecovery"/>).</para>
/// </summary>
public sealed class LocalDatastore : IDatastoreView, IDisposable
{
    public const string User = "admin";

    private readonly object _gate = new();
    private readonly SemaphoreSlim _persistGate = new(1, 1);
    private readonly FileNameRules _names;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly DatastoreModel _model;
    private readonly DatastoreWatcher _watcher;
    private readonly DatastoreOptions _options;
    private byte[]? _lastPersistedBytes;
    private long _version;
    private long _persisted = -1;
    private byte[]? _allJson;
    private long _allJsonVersion = -1;
    private DatastoreSummaryDto? _summary;
    private long _summaryVersion = -1;

    public LocalDatastore(string root, FileNameRules names, TimeProvider clock, ILogger<LocalDatastore> logger, DatastoreOptions? options = null)
    {
        Root = Path.GetFullPath(root);
        _names = names;
        _clock = clock;
        _logger = logger;
        _options = options ?? new DatastoreOptions();
        Directory.CreateDirectory(Root);
        _model = DatastoreRecovery.Load(JsonPath, logger, out _lastPersistedBytes);
        ImagesPath = InsideRoot(_model.ImagesDir, ".");
        LabelsPath = InsideRoot(_model.LabelsDir, "labels");
        Directory.CreateDirectory(LabelsPath);
        DatastoreRecovery.CleanTemporaries(Root, ImagesPath, LabelsPath, logger);

        lock (_gate)
        {
            ReconcileLocked();
            // After the reconcile, so an image added after the backup is known: its interrupted save's info applies.
            var (applied, dropped) = PendingSaves.Recover(LabelsPath, _model, names, logger);
            if (applied + dropped > 0)
                _logger.LogWarning("Recovery: {Applied} interrupted label save(s) completed, {Dropped} never in place dropped", applied, dropped);
        }
        _version++; // always write once at start: creates the file for a new folder, normalises an old one
        PersistAsync().GetAwaiter().GetResult();
        _watcher = new DatastoreWatcher(ImagesPath, LabelsPath, OnExternalChange, logger);
        _logger.LogInformation("Datastore {Root}: {Images} images, {Labelled} with a final label", Root,
            _model.Objects.Count, _model.Objects.Values.Count(o => o.Labels.ContainsKey(IDatastoreView.FinalTag)));
    }

    public string Root { get; }

    public string ImagesPath { get; }

    public string LabelsPath { get; }

    public string JsonPath => Path.Combine(Root, DatastoreJson.FileName);

    /// <summary>The JSON as it was before the last write; what a start uses when the JSON is damaged.</summary>
    public string BackupPath => JsonPath + DatastoreRecovery.BackupSuffix;

    public FileNameRules Names => _names;

    // ------------------------------------------------------------------ summaries and listings

    /// <summary>{total, completed, label_tags} — "completed" counts images with a final label.</summary>
    public DatastoreSummaryDto Summary() => Read(() =>
    {
        if (_summary is not null && _summaryVersion == _version) return _summary;
        var tags = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var o in _model.Objects.Values)
            foreach (string tag in o.Labels.Keys)
                tags[tag] = tags.GetValueOrDefault(tag) + 1;
        int completed = _model.Objects.Values.Count(o => o.Labels.ContainsKey(IDatastoreView.FinalTag));
        _summary = new DatastoreSummaryDto(_model.Objects.Count, completed, tags);
        _summaryVersion = _version;
        return _summary;
    });

    /// <summary>The whole model as compact JSON (<c>GET /datastore/?output=all</c>); cached until the next change.</summary>
    public byte[] AllJson() => Read(() =>
    {
        if (_allJson is not null && _allJsonVersion == _version) return _allJson;
        _allJson = DatastoreJson.ToBytes(_model, indented: false);
        _allJsonVersion = _version;
        return _allJson;
    });

    /// <summary>Absolute image and final-label paths of every labeled image (<c>output=train</c>).</summary>
    public IReadOnlyList<TrainPairDto> TrainPairs() => Read(() => _model.Objects
        .Where(p => p.Value.Labels.ContainsKey(IDatastoreView.FinalTag))
        .Select(p => new TrainPairDto(ImageFile(p.Key, p.Value.Image.Ext),
            LabelFile(p.Key, IDatastoreView.FinalTag, p.Value.Labels[IDatastoreView.FinalTag].Ext)))
        .ToList());

    // ------------------------------------------------------------------ images

    /// <summary>The image's file and extension, or null for an unknown id.</summary>
    public (string Path, string Ext)? FindImage(string id) => Read<(string, string)?>(() =>
        _model.Objects.TryGetValue(id, out var o) ? (ImageFile(id, o.Image.Ext), o.Image.Ext) : null);

    /// <summary>Image info plus <c>path</c>; null for an unknown id.</summary>
    public JsonObject? ImageInfoWithPath(string id) => Read(() =>
    {
        if (!_model.Objects.TryGetValue(id, out var o)) return null;
        var info = (JsonObject)o.Image.Info.DeepClone();
        info["path"] = ImageFile(id, o.Image.Ext);
        return info;
    });

    /// <summary>Stores an uploaded image (already written to <paramref name="tempFile"/> inside the images
    /// folder) under <paramref name="id"/>; an existing image with that id is replaced, its info reset.</summary>
    public async Task AddImageAsync(string id, string ext, string tempFile, JsonObject info, CancellationToken ct = default)
    {
        long ts = Now();
        info["ts"] = ts;
        info["name"] = id + ext;
        lock (_gate)
        {
            ReconcileIfStaleLocked();
            string target = ImageFile(id, ext);
            File.Move(tempFile, target, overwrite: true);
            DirectorySync.Flush(ImagesPath);
            if (_model.Objects.TryGetValue(id, out var old) && !old.Image.Ext.Equals(ext, StringComparison.Ordinal))
                TryDelete(ImageFile(id, old.Image.Ext));
            var fresh = new DatastoreObject(new FileEntry(ext, info));
            // MONAI Label drops the label entries of a replaced image; files still on disk come back with
            // the next reconcile. Re-attach them now so the answer and the file agree at once, keeping the
            // entries (who saved which version when) of the files that are still there.
            if (old is not null)
                foreach (var (tag, label) in old.Labels)
                    if (File.Exists(LabelFile(id, tag, label.Ext))) fresh.Labels[tag] = label;
            _model.Objects[id] = fresh;
            AttachLabelFilesLocked(id, fresh);
            _version++;
        }
        await PersistAsync();
        _logger.LogInformation("Image {Id} stored as {File}", id, id + ext);
    }

    /// <summary>Removes an image, its label files and its entry; false for an unknown id.</summary>
    public async Task<bool> RemoveImageAsync(string id)
    {
        lock (_gate)
        {
            ReconcileIfStaleLocked();
            if (!_model.Objects.Remove(id, out var o)) return false;
            foreach (var (tag, label) in o.Labels) TryDelete(LabelFile(id, tag, label.Ext));
            foreach (string tagFolder in Directory.EnumerateDirectories(LabelsPath)) TryDeleteFolder(LabelVersions.FolderOf(tagFolder, id));
            TryDelete(ImageFile(id, o.Image.Ext));
            _version++;
        }
        await PersistAsync();
        _logger.LogInformation("Image {Id} removed with its labels", id);
        return true;
    }

    /// <summary>Merges top-level keys of <paramref name="info"/> into the image info; false for an unknown id.</summary>
    public async Task<bool> MergeImageInfoAsync(string id, JsonObject info)
    {
        lock (_gate)
        {
            ReconcileIfStaleLocked();
            if (!_model.Objects.TryGetValue(id, out var o)) return false;
            Merge(o.Image.Info, info);
            _version++;
        }
        await PersistAsync();
        return true;
    }

    /// <summary>Records that <paramref name="strategy"/> handed the image to <paramref name="clientId"/> now
    /// (<c>info.strategy.&lt;name&gt; = {ts, client_id}</c>, what the random strategy weighs by) and returns
    /// the updated info with its path; null for an unknown id.</summary>
    public async Task<JsonObject?> RecordStrategyAsync(string id, string strategy, string clientId)
    {
        JsonObject answer;
        lock (_gate)
        {
            ReconcileIfStaleLocked();
            if (!_model.Objects.TryGetValue(id, out var o)) return null;
            if (o.Image.Info["strategy"] is not JsonObject all)
            {
                all = [];
                o.Image.Info["strategy"] = all;
            }
            all[strategy] = new JsonObject { ["ts"] = Now(), ["client_id"] = clientId };
            _version++;
            answer = (JsonObject)o.Image.Info.DeepClone();
            answer["path"] = ImageFile(id, o.Image.Ext);
        }
        await PersistAsync();
        return answer;
    }

    // ------------------------------------------------------------------ labels

    /// <summary>The label file and extension, or null.</summary>
    public (string Path, string Ext)? FindLabel(string id, string tag) => Read<(string, string)?>(() =>
        _model.Objects.TryGetValue(id, out var o) && o.Labels.TryGetValue(tag, out var l)
            ? (LabelFile(id, tag, l.Ext), l.Ext)
            : null);

    /// <summary>Raised after a label was stored and persisted (image id, tag) — not for files found by a reconcile.</summary>
    public event Action<string, string>? LabelSaved;

    /// <summary>The file of version <paramref name="version"/> of a label (the current file when that is the
    /// current version), or null when the label or that version is not kept.</summary>
    public (string Path, string Ext)? FindLabelVersion(string id, string tag, int version) =>
        Read(() => FindVersionLocked(id, tag, version) is { } found ? (found.Path, found.Ext) : ((string, string)?)null);

    /// <summary>The history record of version <paramref name="version"/> of a label (<c>version, ext, user, client_id,
    /// ts, name, checksum</c>; the current version's too), or null when the label or that version is not kept — the
    /// same versions <see cref="FindLabelVersion"/> serves.</summary>
    public JsonObject? LabelVersionInfo(string id, string tag, int version) => Read(() => FindVersionLocked(id, tag, version)?.Record);

    private (string Path, string Ext, JsonObject Record)? FindVersionLocked(string id, string tag, int version)
    {
        if (!_model.Objects.TryGetValue(id, out var o) || !o.Labels.TryGetValue(tag, out var l)) return null;
        if (LabelVersions.VersionOf(l.Info) == version)
            return (LabelFile(id, tag, l.Ext), l.Ext, LabelVersions.HistoryOf(l.Ext, l.Info).First(r => LabelVersions.VersionOf(r) == version));
        if (LabelVersions.Find(l.Info, version) is not { } record) return null;
        // The extension comes from the JSON, which a person may have edited: only a known one builds a path.
        string ext = LabelVersions.ExtOf(record);
        if (!_names.LabelExtensions.Contains(ext, StringComparer.OrdinalIgnoreCase)) return null;
        string file = LabelVersions.FileOf(LabelFolder(tag), id, version, ext);
        return File.Exists(file) ? (file, ext, (JsonObject)record.DeepClone()) : null;
    }

    /// <summary>Stores a label (already written to <paramref name="tempFile"/> in the tag's folder) and returns its
    /// version number. The caller checked it; the image must still exist, else <see cref="ApiException"/> 404.
    /// <para>Order, for a kill at any moment: (1) the current file, if any, is copied to its version file; (2) the
    /// intent (the new entry with the new file's checksum) is journaled; (3) the upload is renamed into place and the
    /// folder fsynced; (4) the JSON is written; (5) the intent is removed and the caller answers 200. The previous
    /// label stays current until (3); after (3) the journal completes the entry at the next start.</para></summary>
    public async Task<int> SaveLabelAsync(string id, string tag, string ext, string tempFile, JsonObject info)
    {
        info.Remove("version");
        info.Remove("versions"); // the server numbers versions; a client's keys must not rewrite the history
        info["ts"] = Now();
        info["name"] = id + ext;
        using (var content = File.OpenRead(tempFile)) info["checksum"] = PendingSaves.Checksum(content);
        string intent;
        int version;
        lock (_gate)
        {
            ReconcileIfStaleLocked();
            if (!_model.Objects.TryGetValue(id, out var o))
                throw ApiException.NotFound($"Image '{id}' not found in the datastore");
            string tagFolder = LabelFolder(tag);
            List<JsonObject> history = [];
            version = 1;
            if (o.Labels.TryGetValue(tag, out var old) && File.Exists(LabelFile(id, tag, old.Ext)))
            {
                int previous = LabelVersions.VersionOf(old.Info);
                version = previous + 1;
                history = LabelVersions.HistoryOf(old.Ext, old.Info);
                string source = LabelFile(id, tag, old.Ext);
                AtomicFile.Write(LabelVersions.FileOf(tagFolder, id, previous, old.Ext), target =>
                {
                    using var from = File.OpenRead(source);
                    from.CopyTo(target);
                });
            }
            history.Add(LabelVersions.RecordOf(version, ext, info));
            PruneLocked(tagFolder, id, history);
            info["version"] = version;
            info["versions"] = new JsonArray(history.Select(r => (JsonNode?)r).ToArray());
            intent = PendingSaves.Write(tagFolder, id, tag, ext, info);
            CrashTestPause();
            try
            {
                File.Move(tempFile, LabelFile(id, tag, ext), overwrite: true);
            }
            catch
            {
                PendingSaves.Done(intent); // nothing moved: the previous label and its entry stand
                throw;
            }
            DirectorySync.Flush(tagFolder);
            if (old is not null && !old.Ext.Equals(ext, StringComparison.Ordinal))
                TryDelete(LabelFile(id, tag, old.Ext));
            o.Labels[tag] = new FileEntry(ext, info);
            _version++;
        }
        CrashTestPause();
        await PersistAsync();
        PendingSaves.Done(intent);
        _logger.LogInformation("Label {Tag} of {Id} stored as {File}, version {Version}", tag, id, id + ext, version);
        LabelSaved?.Invoke(id, tag);
        return version;
    }

    /// <summary>Removes a label with its earlier versions: MONAI Label's DELETE removes the label, and a version
    /// left behind could not be reached (the history lives in the label's entry).</summary>
    public async Task<bool> RemoveLabelAsync(string id, string tag)
    {
        lock (_gate)
        {
            ReconcileIfStaleLocked();
            if (!_model.Objects.TryGetValue(id, out var o) || !o.Labels.Remove(tag, out var l)) return false;
            TryDelete(LabelFile(id, tag, l.Ext));
            TryDeleteFolder(LabelVersions.FolderOf(LabelFolder(tag), id));
            _version++;
        }
        await PersistAsync();
        return true;
    }

    /// <summary>Keeps at most <see cref="DatastoreOptions.LabelVersionsKept"/> earlier versions: the oldest records
    /// and their files go first. The last record is the version being saved.</summary>
    private void PruneLocked(string tagFolder, string id, List<JsonObject> history)
    {
        int kept = _options.LabelVersionsKept;
        while (kept > 0 && history.Count - 1 > kept)
        {
            var oldest = history[0];
            history.RemoveAt(0);
            string ext = LabelVersions.ExtOf(oldest);
            if (_names.LabelExtensions.Contains(ext, StringComparer.OrdinalIgnoreCase))
                TryDelete(LabelVersions.FileOf(tagFolder, id, LabelVersions.VersionOf(oldest), ext));
        }
    }

    public async Task<bool> MergeLabelInfoAsync(string id, string tag, JsonObject info)
    {
        lock (_gate)
        {
            ReconcileIfStaleLocked();
            if (!_model.Objects.TryGetValue(id, out var o) || !o.Labels.TryGetValue(tag, out var l)) return false;
            info.Remove("version");
            info.Remove("versions");
            Merge(l.Info, info);
            _version++;
        }
        await PersistAsync();
        return true;
    }

    /// <summary>A fresh hidden file name for an upload to <paramref name="folder"/> that keeps the real
    /// extension (readers choose the format by it) and is ignored by reconciles.</summary>
    public static string TempFileIn(string folder, string ext)
    {
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, $".upload-{Guid.NewGuid():N}{ext}");
    }

    public string LabelFolder(string tag) => Path.Combine(LabelsPath, tag);

    // ------------------------------------------------------------------ IDatastoreView (apps)

    public IReadOnlyList<string> ImageIds() => Read(() => _model.Objects.Keys.ToList());

    public IReadOnlyList<string> LabeledImages(string tag = IDatastoreView.FinalTag) =>
        Read(() => _model.Objects.Where(p => p.Value.Labels.ContainsKey(tag)).Select(p => p.Key).ToList());

    public IReadOnlyList<string> UnlabeledImages(string tag = IDatastoreView.FinalTag) =>
        Read(() => _model.Objects.Where(p => !p.Value.Labels.ContainsKey(tag)).Select(p => p.Key).ToList());

    public string ImagePath(string id) => FindImage(id)?.Path ?? throw new KeyNotFoundException($"no image '{id}'");

    public string? LabelPath(string id, string tag) => FindLabel(id, tag)?.Path;

    public JsonObject ImageInfo(string id) => Read(() =>
        _model.Objects.TryGetValue(id, out var o) ? (JsonObject)o.Image.Info.DeepClone() : []);

    public JsonObject LabelInfo(string id, string tag) => Read(() =>
        _model.Objects.TryGetValue(id, out var o) && o.Labels.TryGetValue(tag, out var l) ? (JsonObject)l.Info.DeepClone() : []);

    public async Task UpdateImageInfoAsync(string id, JsonObject info, CancellationToken cancellation = default)
    {
        if (!await MergeImageInfoAsync(id, info)) throw new KeyNotFoundException($"no image '{id}'");
    }

    // ------------------------------------------------------------------ reconcile and persistence

    /// <summary>Brings the model in line with the folder now (also run on file events).</summary>
    public void Reconcile()
    {
        bool changed;
        lock (_gate) changed = ReconcileLocked();
        if (changed) _ = PersistLoggedAsync();
    }

    private T Read<T>(Func<T> read)
    {
        bool changed;
        T value;
        lock (_gate)
        {
            changed = ReconcileIfStaleLocked();
            value = read();
        }
        if (changed) _ = PersistLoggedAsync();
        return value;
    }

    // The watcher is null only during the constructor's first reconcile.
    private bool ReconcileIfStaleLocked() => _watcher?.IsStale() == true && ReconcileLocked();

    /// <summary>New image files become objects ({ts, name}); objects whose image vanished are dropped; label
    /// files of known images are attached, entries whose file vanished removed. True when anything changed.</summary>
    private bool ReconcileLocked()
    {
        _watcher?.MarkReconciled();
        bool changed = false;
        var present = new Dictionary<string, string>(StringComparer.Ordinal); // file name → full path
        foreach (string file in Directory.EnumerateFiles(ImagesPath))
        {
            string name = Path.GetFileName(file);
            if (name.StartsWith('.') || !_names.TrySplitImage(name, out _, out _)) continue;
            present[name] = file;
        }

        foreach (var id in _model.Objects.Keys.ToList())
        {
            if (present.ContainsKey(id + _model.Objects[id].Image.Ext)) continue;
            _model.Objects.Remove(id);
            _logger.LogInformation("Reconcile: image {Id} is gone from the folder; entry dropped", id);
            changed = true;
        }

        var known = new HashSet<string>(_model.Objects.Select(p => p.Key + p.Value.Image.Ext), StringComparer.Ordinal);
        foreach (var (name, file) in present)
        {
            if (known.Contains(name) || !_names.TrySplitImage(name, out string id, out string ext)) continue;
            if (!IdRules.IsValid(id) || _model.Objects.ContainsKey(id)) continue;
            _model.Objects[id] = new DatastoreObject(new FileEntry(ext, new JsonObject
            {
                ["ts"] = new DateTimeOffset(File.GetLastWriteTimeUtc(file)).ToUnixTimeSeconds(),
                ["name"] = name,
            }));
            _logger.LogInformation("Reconcile: new image {Id} ({File})", id, name);
            changed = true;
        }

        var labelFiles = LabelFilesByTag();
        foreach (var (id, o) in _model.Objects)
        {
            foreach (var tag in o.Labels.Keys.ToList())
            {
                if (labelFiles.TryGetValue(tag, out var files) && files.Contains(id + o.Labels[tag].Ext)) continue;
                o.Labels.Remove(tag);
                changed = true;
            }
        }
        foreach (var (tag, files) in labelFiles)
        {
            foreach (string name in files)
            {
                if (!_names.TrySplitLabel(name, out string id, out string ext)) continue;
                if (!_model.Objects.TryGetValue(id, out var o) || o.Labels.ContainsKey(tag)) continue;
                o.Labels[tag] = new FileEntry(ext, new JsonObject
                {
                    ["ts"] = new DateTimeOffset(File.GetLastWriteTimeUtc(LabelFile(id, tag, ext))).ToUnixTimeSeconds(),
                    ["name"] = name,
                });
                changed = true;
            }
        }
        if (changed) _version++;
        return changed;
    }

    private void AttachLabelFilesLocked(string id, DatastoreObject o)
    {
        foreach (var (tag, files) in LabelFilesByTag())
            foreach (string name in files)
                if (_names.TrySplitLabel(name, out string fileId, out string ext) && fileId == id && !o.Labels.ContainsKey(tag))
                    o.Labels[tag] = new FileEntry(ext, new JsonObject { ["ts"] = Now(), ["name"] = name });
    }

    private Dictionary<string, HashSet<string>> LabelFilesByTag()
    {
        var byTag = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        if (!Directory.Exists(LabelsPath)) return byTag;
        foreach (string dir in Directory.EnumerateDirectories(LabelsPath))
        {
            string tag = Path.GetFileName(dir);
            if (!IdRules.IsValid(tag)) continue;
            var files = new HashSet<string>(StringComparer.Ordinal);
            foreach (string file in Directory.EnumerateFiles(dir))
            {
                string name = Path.GetFileName(file);
                if (!name.StartsWith('.')) files.Add(name);
            }
            byTag[tag] = files;
        }
        return byTag;
    }

    /// <summary>Writes the JSON if it is behind the model. Writers queue on one gate; each writes the model
    /// as it is when its turn comes, so a burst of changes costs few writes and none is lost.</summary>
    private async Task PersistAsync()
    {
        await _persistGate.WaitAsync();
        try
        {
            byte[] bytes;
            long version;
            lock (_gate)
            {
                if (_persisted >= _version) return;
                version = _version;
                bytes = DatastoreJson.ToBytes(_model, indented: true);
            }
            // The backup first: at every moment one of the two files is a complete, flushed JSON.
            if (_lastPersistedBytes is { } previous) AtomicFile.Write(BackupPath, s => s.Write(previous));
            AtomicFile.Write(JsonPath, s =>
            {
                s.Write(bytes);
                CrashTestPause();
            });
            _lastPersistedBytes = bytes;
            _persisted = version;
        }
        finally
        {
            _persistGate.Release();
        }
    }

    private async Task PersistLoggedAsync()
    {
        try
        {
            await PersistAsync();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogError(e, "Could not write {Json}", JsonPath);
        }
    }

    private void OnExternalChange() => Reconcile();

    private string ImageFile(string id, string ext) => Path.Combine(ImagesPath, id + ext);

    private string LabelFile(string id, string tag, string ext) => Path.Combine(LabelsPath, tag, id + ext);

    private long Now() => _clock.GetUtcNow().ToUnixTimeSeconds();

    private static void Merge(JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source) target[key] = value?.DeepClone();
    }

    private string InsideRoot(string relative, string fallback)
    {
        string full = Path.GetFullPath(Path.Combine(Root, string.IsNullOrWhiteSpace(relative) ? fallback : relative));
        if (full == Root || full.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return full;
        _logger.LogWarning("Datastore folder '{Relative}' leaves {Root}; using '{Fallback}'", relative, Root, fallback);
        return Path.GetFullPath(Path.Combine(Root, fallback));
    }

    /// <summary>Test-only (<see cref="DatastoreOptions.CrashTestPhaseDelayMs"/>): holds a save inside a step so the
    /// crash harness's kills land there.</summary>
    private void CrashTestPause()
    {
        if (_options.CrashTestPhaseDelayMs > 0) Thread.Sleep(_options.CrashTestPhaseDelayMs);
    }

    private void TryDeleteFolder(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("Could not delete {Path}: {Message}", path, e.Message);
        }
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("Could not delete {Path}: {Message}", path, e.Message);
        }
    }

    public void Dispose()
    {
        _watcher.Dispose();
        _persistGate.Dispose();
    }
}
