using System.Text.Json;
using System.Text.RegularExpressions;

namespace CtSegLabel.Server.Datastore;

/// <summary>
/// What the datastore does at start after a crash or a power loss. The JSON: a file that is missing, empty or not
/// JSON at all (a disk that lost the last write) is replaced by <c>datastore_v2.json.bak</c>, the previous good copy
/// kept by every write, and the damaged file is moved aside; without a usable backup the datastore starts empty and
/// the reconcile rebuilds it from the files (infos are lost, files are not). A file that is valid JSON but not a
/// datastore (someone edited it) is still refused: that is not a crash to recover from. Temporaries: uploads and
/// atomic writes cut off by a kill leave hidden files; they are removed.
/// </summary>
public static partial class DatastoreRecovery
{
    public const string BackupSuffix = ".bak";

    public static DatastoreModel Load(string jsonPath, ILogger logger, out byte[]? loadedBytes)
    {
        string backup = jsonPath + BackupSuffix;
        loadedBytes = null;
        if (File.Exists(jsonPath) && ReadableJson(jsonPath) is { } bytes)
        {
            var model = DatastoreJson.Read(jsonPath); // a schema error still stops the server, naming the field
            loadedBytes = bytes;
            return model;
        }
        bool present = File.Exists(jsonPath);
        if (!present && !File.Exists(backup)) return new DatastoreModel(); // a new datastore
        if (present)
        {
            string aside = $"{jsonPath}.damaged-{DateTime.UtcNow:yyyyMMddTHHmmssZ}";
            File.Move(jsonPath, aside, overwrite: true);
            logger.LogError("DATASTORE RECOVERY: {Json} is empty or not JSON (a write lost by a crash or power loss); moved aside to {Aside}",
                jsonPath, aside);
        }
        else
        {
            logger.LogError("DATASTORE RECOVERY: {Json} is missing but its backup exists", jsonPath);
        }
        if (File.Exists(backup) && ReadableJson(backup) is not null)
        {
            logger.LogError("DATASTORE RECOVERY: using the backup {Backup}; labels and infos saved after it are re-attached from the files and the save journal",
                backup);
            return DatastoreJson.Read(backup);
        }
        logger.LogError("DATASTORE RECOVERY: no usable backup; the datastore is rebuilt from the files in the folder (image and label infos are lost)");
        return new DatastoreModel();
    }

    /// <summary>Removes the hidden temporaries this server writes (<c>.upload-*</c>, <c>.NAME.GUID.tmp</c>) from the
    /// datastore's folders; a user's own hidden files are left alone. Returns how many were removed.</summary>
    public static int CleanTemporaries(string root, string images, string labels, ILogger logger)
    {
        var folders = new List<string> { root, images };
        if (Directory.Exists(labels))
            foreach (string tag in Directory.EnumerateDirectories(labels))
            {
                folders.Add(tag);
                string versions = Path.Combine(tag, LabelVersions.FolderName);
                if (Directory.Exists(versions)) folders.AddRange(Directory.EnumerateDirectories(versions));
            }
        int removed = 0;
        foreach (string folder in folders.Distinct(StringComparer.Ordinal))
        {
            if (!Directory.Exists(folder)) continue;
            foreach (string file in Directory.EnumerateFiles(folder, ".*"))
            {
                if (!IsTemporary(Path.GetFileName(file))) continue;
                try
                {
                    File.Delete(file);
                    removed++;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    logger.LogWarning("Could not remove the leftover temporary {File}: {Message}", file, e.Message);
                }
            }
        }
        if (removed > 0) logger.LogWarning("Removed {Count} temporaries left by an interrupted upload or write", removed);
        return removed;
    }

    public static bool IsTemporary(string name) => name.StartsWith(".upload-", StringComparison.Ordinal) || AtomicTemp().IsMatch(name);

    /// <summary>The file's bytes when it holds well-formed JSON, else null (empty, truncated, zeros).</summary>
    private static byte[]? ReadableJson(string path)
    {
        try
        {
            byte[] bytes = File.ReadAllBytes(path);
            if (bytes.Length == 0) return null;
            using var _ = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true });
            return bytes;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // AtomicFile's temporary: "." + target name + "." + 32 hex digits + ".tmp".
    [GeneratedRegex(@"^\..+\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex AtomicTemp();
}
