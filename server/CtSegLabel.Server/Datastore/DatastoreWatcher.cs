namespace CtSegLabel.Server.Datastore;

/// <summary>
/// Notices files added to or removed from the studies folder by anyone else. With a working
/// file-system watcher, an event marks the datastore stale and a reconcile follows shortly (events
/// come in bursts while a file is copied); where the watcher cannot start (inotify limits, network
/// file systems) the datastore compares directory timestamps before each read instead.
/// Hidden files and folders are the server's own (temporaries, label versions) and are ignored.
/// </summary>
public sealed class DatastoreWatcher : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(300);

    private readonly string _images;
    private readonly string _labels;
    private readonly Action _reconcile;
    private readonly ILogger _logger;
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Timer _timer;
    private readonly bool _watching;
    private volatile bool _dirty;
    private string _stamps = "";

    public DatastoreWatcher(string images, string labels, Action reconcile, ILogger logger)
    {
        _images = images;
        _labels = labels;
        _reconcile = reconcile;
        _logger = logger;
        _timer = new Timer(_ => Fire());
        _stamps = Stamps();
        try
        {
            _watchers.Add(Watch(images, subdirectories: false));
            _watchers.Add(Watch(labels, subdirectories: true));
            _watching = true;
        }
        catch (Exception e) when (e is IOException or PlatformNotSupportedException or ArgumentException)
        {
            foreach (var w in _watchers) w.Dispose();
            _watchers.Clear();
            _logger.LogWarning("Cannot watch {Folder} ({Message}); checking folder timestamps on each read instead", images, e.Message);
        }
    }

    /// <summary>True when the folder may have changed since the last reconcile.</summary>
    public bool IsStale() => _watching ? _dirty : Stamps() != _stamps;

    /// <summary>Called by the reconcile as it starts: later events make the datastore stale again.</summary>
    public void MarkReconciled()
    {
        _dirty = false;
        if (!_watching) _stamps = Stamps();
    }

    private FileSystemWatcher Watch(string folder, bool subdirectories)
    {
        var w = new FileSystemWatcher(folder)
        {
            IncludeSubdirectories = subdirectories,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName,
        };
        w.Created += (_, e) => Changed(e.Name);
        w.Deleted += (_, e) => Changed(e.Name);
        w.Renamed += (_, e) => { Changed(e.Name); Changed(e.OldName); };
        w.Error += (_, e) =>
        {
            _logger.LogWarning("File watcher error on {Folder}: {Message}; reconciling", folder, e.GetException().Message);
            MarkDirty();
        };
        w.EnableRaisingEvents = true;
        return w;
    }

    private void Changed(string? relativeName)
    {
        if (relativeName is null) return;
        string name = Path.GetFileName(relativeName);
        if (name.Length == 0 || name == DatastoreJson.FileName) return;
        // Any hidden segment: temporaries, and the label versions under labels/<tag>/.versions/.
        if (relativeName.Split(Path.DirectorySeparatorChar).Any(part => part.StartsWith('.'))) return;
        MarkDirty();
    }

    private void MarkDirty()
    {
        _dirty = true;
        _timer.Change(Debounce, Timeout.InfiniteTimeSpan);
    }

    private void Fire()
    {
        try
        {
            if (_dirty) _reconcile();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("Reconcile after a file event failed: {Message}", e.Message);
        }
    }

    /// <summary>Modification times of the images folder, the labels folder and every tag folder: any file
    /// created, removed or renamed in them changes one of these.</summary>
    private string Stamps()
    {
        var parts = new List<long> { Directory.GetLastWriteTimeUtc(_images).Ticks, Directory.GetLastWriteTimeUtc(_labels).Ticks };
        if (Directory.Exists(_labels))
            foreach (string dir in Directory.EnumerateDirectories(_labels).Order(StringComparer.Ordinal))
                parts.Add(Directory.GetLastWriteTimeUtc(dir).Ticks);
        return string.Join(',', parts);
    }

    public void Dispose()
    {
        foreach (var w in _watchers) w.Dispose();
        _timer.Dispose();
    }
}
