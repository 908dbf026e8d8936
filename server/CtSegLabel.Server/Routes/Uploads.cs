using CtSegLabel.Server.Datastore;

namespace CtSegLabel.Server.Routes;

/// <summary>Uploaded files are first written to a hidden temporary in their destination folder (same
/// file system, so the final rename is atomic), flushed to disk, then moved into place by the datastore.</summary>
public static class Uploads
{
    public static async Task<string> SaveAsync(IFormFile file, string folder, string ext, CancellationToken ct)
    {
        string temp = LocalDatastore.TempFileIn(folder, ext);
        try
        {
            await using var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, useAsync: true);
            await file.CopyToAsync(target, ct);
            target.Flush(flushToDisk: true);
        }
        catch
        {
            Discard(temp);
            throw;
        }
        return temp;
    }

    /// <summary>Removes a temporary that was not moved into place (no-op once it was).</summary>
    public static void Discard(string temp)
    {
        try
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        catch (IOException)
        {
            // Hidden temporaries are ignored by the datastore; a leftover costs only disk space.
        }
    }
}
