namespace CtSegLabel.Server.Hosting;

/// <summary>
/// Everything the server is configured with: section "Server" of appsettings.json, environment
/// variables (<c>Server__Studies=...</c>) and the command line (<c>--studies DIR</c>, see
/// <see cref="CommandLine"/>), later sources winning.
/// </summary>
public sealed class ServerOptions
{
    public const string Section = "Server";

    /// <summary>The datastore folder (images at its root, labels/&lt;tag&gt;/, datastore_v2.json).</summary>
    public string Studies { get; set; } = "studies";

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 8000;

    /// <summary>Start on a non-loopback <see cref="Host"/> with authentication off (refused otherwise: anyone reaching the
    /// port would act as admin). Only for networks where something else keeps strangers out.</summary>
    public bool AllowRemoteWithoutAuth { get; set; }

    /// <summary>Path of the app assembly (a .dll with one public ISegmentationApp); empty = the
    /// built-in CT app, serving the checkpoints in <see cref="Models"/>.</summary>
    public string? App { get; set; }

    /// <summary>When the studies folder holds no image at start, fill it with this many synthetic CT phantoms
    /// (images only, so they are all "unlabeled" for active learning); 0 = never.</summary>
    public int SeedPhantoms { get; set; }

    /// <summary>In-plane size of seeded phantoms (512 is a clinical CT; smaller is quicker for trials and CI).</summary>
    public int SeedPhantomSize { get; set; } = 512;

    /// <summary>Folder for model weights and training statistics: the CT app reads one subfolder per model
    /// (<c>swinunetr_v2/</c>, <c>slice_transformer/</c>) holding its <c>*.ctseg</c> versions.</summary>
    public string Models { get; set; } = "models";

    /// <summary>Folder of the rolling log file app.log; empty = &lt;studies&gt;/logs.</summary>
    public string? Logs { get; set; }

    /// <summary>Also write the log to the console (the file is always written).</summary>
    public bool LogToConsole { get; set; } = true;

    // ---- Limits on what clients send (docs/limits.md lists each with its answer) ----

    /// <summary>Largest accepted request body in bytes (uploads of images, labels, models); larger → 413.</summary>
    public long MaxUploadBytes { get; set; } = 2L << 30;

    /// <summary>Most bytes an uploaded or stored volume may inflate to when the server reads it (compressed files: the
    /// header included; raw files: the voxel data). A whole-body CT of 512×512×1000 int16 is 0.5 GiB; 1 GiB leaves margin
    /// and still refuses a gzip bomb long before memory runs out. Exceeded → 422 naming the file field.</summary>
    public long MaxVolumeBytes { get; set; } = 1L << 30;

    /// <summary>Most voxels a volume read by the server may declare (checked on the header, before anything is allocated).
    /// 2^29 = 512×512×2048. Exceeded → 422 naming the file field.</summary>
    public long MaxVolumeVoxels { get; set; } = 1L << 29;

    /// <summary>Largest JSON request body or JSON form field (<c>params</c>, <c>info</c>) in bytes. Slicer's params carry
    /// label_info for at most a few hundred segments: a few KB; 1 MiB is generous. Larger → 413 naming the field.</summary>
    public int MaxJsonBytes { get; set; } = 1 << 20;

    /// <summary>Most parts (files and fields) of a multipart form; the protocol's largest form has three. More → 413.</summary>
    public int MaxFormParts { get; set; } = 64;

    /// <summary>Most members of a zip uploaded to <c>/session/?uncompress=true</c> (a DICOM series is one file a slice:
    /// a whole-body CT at 0.5 mm is about 4,000). Each member may inflate to at most <see cref="MaxVolumeBytes"/>, all of
    /// them to at most <see cref="MaxUploadBytes"/>. Exceeded → 422 naming the archive (and the member).</summary>
    public int MaxArchiveMembers { get; set; } = 10_000;

    /// <summary>Seconds a client may take to send the request line and headers; then the connection is closed (slow loris).</summary>
    public int RequestHeadersTimeoutSeconds { get; set; } = 30;

    /// <summary>Seconds an idle keep-alive connection is held open.</summary>
    public int KeepAliveTimeoutSeconds { get; set; } = 130;

    /// <summary>Slowest accepted request body, bytes per second after a grace period of
    /// <see cref="MinRequestBodyGraceSeconds"/>: a client that announces a body it never sends (protocol notes §9) is cut off.</summary>
    public double MinRequestBodyBytesPerSecond { get; set; } = 240;

    /// <summary>Grace period of <see cref="MinRequestBodyBytesPerSecond"/>, seconds.</summary>
    public int MinRequestBodyGraceSeconds { get; set; } = 10;

    /// <summary>Largest request line plus headers, bytes (Kestrel: 32 KiB); larger → 431.</summary>
    public int MaxRequestHeadersBytes { get; set; } = 32 << 10;

    /// <summary>The limits the server (and its compute workers, through the job) read stored volumes with.</summary>
    public Imaging.Formats.ReadOptions VolumeReadOptions => new() { MaxVoxels = MaxVolumeVoxels, MaxDecompressedBytes = MaxVolumeBytes };

    /// <summary>The limits for a volume a client uploads: also no data past what the header declares (a gzip bomb
    /// behind a modest header is refused, not stored).</summary>
    public Imaging.Formats.ReadOptions UploadReadOptions => VolumeReadOptions with { RefuseTrailingData = true };

    // ---- end of limits ----

    /// <summary>Whether <c>/session/</c> is served (MONAI Label answers 406 when disabled).</summary>
    public bool SessionsEnabled { get; set; } = true;

    /// <summary>Folder of session uploads; empty = a folder under the system temp directory.</summary>
    public string? Sessions { get; set; }

    /// <summary>Seconds a session lives after its last access when the client asks for no expiry.</summary>
    public int SessionExpirySeconds { get; set; } = 3600;

    /// <summary>Infer requests the server's own workers run at once (one in-process infer worker each); more wait in the
    /// compute queue. Inference is memory- and CPU-heavy.</summary>
    public int MaxConcurrentInfers { get; set; } = 1;

    /// <summary>Where remote compute workers (<c>ctseg worker --connect</c>) connect, e.g. <c>tcp://127.0.0.1:5557</c>;
    /// empty = none. An address other than loopback needs <see cref="WorkersKey"/>.</summary>
    public string? WorkersEndpoint { get; set; }

    /// <summary>Run workers inside the server process (infer, train, score). Off: every job waits for a remote worker.</summary>
    public bool InProcessWorker { get; set; } = true;

    /// <summary>Key file of the workers endpoint (CurveZMQ keys and the access token), created when missing, with the
    /// workers' half written beside it as <c>FILE.worker</c>.</summary>
    public string? WorkersKey { get; set; }

    /// <summary>Compute jobs that may wait for a worker; beyond it <c>/infer</c> answers 503 with Retry-After.</summary>
    public int WorkerQueue { get; set; } = 16;

    /// <summary>Workers a job may be given to before it fails (a worker that dies mid-job hands it to the next).</summary>
    public int WorkerAttempts { get; set; } = 3;

    /// <summary>Longest an infer job may take, queue included (seconds).</summary>
    public int InferTimeoutSeconds { get; set; } = 600;

    /// <summary>A job fails when no connected worker can run it for this long (seconds).</summary>
    public int NoWorkerTimeoutSeconds { get; set; } = 30;

    /// <summary>Heartbeat interval between broker and workers (ms); a worker is dead after three silent intervals.</summary>
    public int WorkerHeartbeatMs { get; set; } = 2500;

    /// <summary>Queue a fine-tune after this many new <c>final</c> labels since the last training start (automatic or
    /// not); 0 = never. The count survives restarts (<see cref="AutoTrainStatePath"/>).</summary>
    public int AutoTrainAfter { get; set; }

    /// <summary>The trainer auto-training starts; empty = every trainer of the app.</summary>
    public string? AutoTrainModel { get; set; }

    /// <summary>MONAI Label's default list of image file extensions.</summary>
    public static readonly string[] DefaultImageExtensions = [".nii.gz", ".nii", ".nrrd", ".jpg", ".png", ".tif", ".svs", ".xml"];

    /// <summary>File extensions that are images in the studies folder; unset = <see cref="DefaultImageExtensions"/>.
    /// (Nullable so that a configured list replaces the default instead of being appended to it.)</summary>
    public string[]? ImageExtensions { get; set; }

    public IReadOnlyList<string> EffectiveImageExtensions => ImageExtensions is { Length: > 0 } e ? e : DefaultImageExtensions;

    public string StudiesPath => Path.GetFullPath(Studies);

    public string ModelsPath => Path.GetFullPath(Models);

    /// <summary>Where auto-training keeps its count of labels since the last training start.</summary>
    public string AutoTrainStatePath => Path.Combine(ModelsPath, "auto-train.json");

    public string LogsPath => string.IsNullOrWhiteSpace(Logs) ? Path.Combine(StudiesPath, "logs") : Path.GetFullPath(Logs);

    public string SessionsPath => string.IsNullOrWhiteSpace(Sessions)
        ? Path.Combine(Path.GetTempPath(), "ctseg-sessions")
        : Path.GetFullPath(Sessions);
}
