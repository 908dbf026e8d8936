using System.Text.Json;
using System.Text.Json.Nodes;
using CtSegLabel.PluginAdapter.Wire;
using CtSegLabel.Server.Errors;
using CtSegLabel.Server.Hosting;
using CtSegLabel.Server.Validation;
using Microsoft.Extensions.Options;

namespace CtSegLabel.Server.Sessions;

/// <summary>
/// Sessions: images uploaded for inference without entering the datastore (Slicer uses them for
/// interactive models on locally loaded volumes). Each session is a folder holding the uploaded
/// file(s) and <c>session.json</c>; it lives until <c>last access + expiry</c> and survives a restart,
/// so a client holding a session id does not get an error dialog after the server restarts.
/// </summary>
public sealed class SessionStore
{
    private const string InfoFile = "session.json";
    private readonly object _gate = new();
    private readonly ServerOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<SessionStore> _logger;
    private readonly UploadedVolumes? _volumes;

    public SessionStore(IOptions<ServerOptions> options, TimeProvider clock, ILogger<SessionStore> logger, UploadedVolumes? volumes = null)
    {
        _options = options.Value;
        _volumes = volumes;
        _clock = clock;
        _logger = logger;
        Root = _options.SessionsPath;
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public bool Enabled => _options.SessionsEnabled;

    /// <summary>Stores the uploaded files as a new session. One file: the session image is that file; an
    /// archive with <paramref name="uncompress"/>: its members are extracted and the image is the single
    /// volume inside, or the folder when there are several (a DICOM series).</summary>
    public async Task<CreateSessionDto> CreateAsync(IReadOnlyList<IFormFile> files, bool uncompress, long expirySeconds, CancellationToken ct)
    {
        string id = Guid.NewGuid().ToString();
        string folder = Path.Combine(Root, id);
        Directory.CreateDirectory(folder);
        try
        {
            var stored = new List<string>();
            foreach (var file in files)
            {
                string name = SafeName(file.FileName);
                string path = Path.Combine(folder, name);
                await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                    await file.CopyToAsync(target, ct);
                if (uncompress && name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
                {
                    var limits = new SessionArchive.Limits(_options.MaxVolumeBytes, _options.MaxUploadBytes, _options.MaxArchiveMembers);
                    var members = await Task.Run(() => SessionArchive.Extract(path, name, folder, limits, ct), ct);
                    File.Delete(path);
                    // Extracted volumes are stored like uploaded ones: read whole under the upload limits first.
                    if (_volumes is not null)
                        foreach (string member in members)
                            await Task.Run(() => _volumes.EnsureReadable(member, "files", Path.GetRelativePath(folder, member)), ct);
                    stored.AddRange(members);
                }
                else stored.Add(path);
            }
            string image = stored.Count == 1 ? stored[0] : folder;
            long now = Now();
            var info = new SessionInfoDto(id, folder, image, [], now, now, expirySeconds > 0 ? expirySeconds : _options.SessionExpirySeconds);
            Save(info);
            _logger.LogInformation("Session {Id} created with {Count} file(s)", id, stored.Count);
            return new CreateSessionDto(id, info);
        }
        catch
        {
            TryDeleteFolder(folder);
            throw;
        }
    }

    /// <summary>The session, optionally touching its last-access time; null when unknown or expired.</summary>
    public SessionInfoDto? Get(string id, bool updateTs)
    {
        if (!IdRules.IsValid(id)) return null;
        lock (_gate)
        {
            var info = Load(id);
            if (info is null) return null;
            if (IsExpired(info))
            {
                TryDeleteFolder(info.Path);
                return null;
            }
            if (!updateTs) return info;
            var touched = info with { LastAccessTs = Now() };
            Save(touched);
            return touched;
        }
    }

    /// <summary>The session's image for inference; 404 when the session is unknown or expired.</summary>
    public string ImageOf(string id) =>
        (Get(id, updateTs: true) ?? throw ApiException.NotFound($"Session ({id}) Not Found")).Image;

    public SessionInfoDto? Remove(string id)
    {
        if (!IdRules.IsValid(id)) return null;
        lock (_gate)
        {
            var info = Load(id);
            if (info is null) return null;
            TryDeleteFolder(info.Path);
            _logger.LogInformation("Session {Id} removed", id);
            return info;
        }
    }

    /// <summary>Deletes expired sessions (and folders without a readable session.json); returns how many.</summary>
    public int Sweep()
    {
        int removed = 0;
        lock (_gate)
        {
            foreach (string folder in Directory.EnumerateDirectories(Root))
            {
                var info = Load(Path.GetFileName(folder));
                if (info is not null && !IsExpired(info)) continue;
                TryDeleteFolder(folder);
                removed++;
            }
        }
        if (removed > 0) _logger.LogInformation("Removed {Count} expired session(s)", removed);
        return removed;
    }

    private bool IsExpired(SessionInfoDto info) => info.Expiry > 0 && info.LastAccessTs + info.Expiry < Now();

    private SessionInfoDto? Load(string id)
    {
        string file = Path.Combine(Root, id, InfoFile);
        if (!File.Exists(file)) return null;
        try
        {
            return JsonSerializer.Deserialize<SessionInfoDto>(File.ReadAllBytes(file));
        }
        catch (JsonException e)
        {
            _logger.LogWarning("Session {Id} has an unreadable {File}: {Message}", id, InfoFile, e.Message);
            return null;
        }
    }

    private void Save(SessionInfoDto info)
    {
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(info);
        Imaging.Formats.AtomicFile.Write(Path.Combine(info.Path, InfoFile), s => s.Write(bytes));
    }

    /// <summary>The uploaded file's bare name (clients may send a full local path), made safe to store.</summary>
    private static string SafeName(string fileName)
    {
        string name = Datastore.FileNameRules.BareName(fileName);
        name = new string(name.Where(c => !char.IsControl(c)).ToArray()).TrimStart('.');
        return string.IsNullOrWhiteSpace(name) || name == InfoFile ? "image" : name;
    }

    private void TryDeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("Could not delete session folder {Folder}: {Message}", folder, e.Message);
        }
    }

    private long Now() => _clock.GetUtcNow().ToUnixTimeSeconds();
}
