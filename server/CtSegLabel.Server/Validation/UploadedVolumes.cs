using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Server.Datastore;
using CtSegLabel.Server.Errors;
using CtSegLabel.Server.Hosting;
using Microsoft.Extensions.Options;

namespace CtSegLabel.Server.Validation;

/// <summary>
/// Reads an uploaded volume (by its extension; other files pass) under the server's volume limits before it is stored
/// or used: a header declaring more than <c>Server:MaxVolumeVoxels</c>/<c>Server:MaxVolumeBytes</c> is refused before
/// anything is allocated or inflated, and inflation stops one byte past what the header declares (a gzip bomb behind a
/// modest header). Any refusal is an <see cref="UploadRejectedException"/> naming the form field.
/// A volume that is stored is read whole (about a second for a whole-body CT): nothing unreadable may be stored. An
/// infer input is only a header check here, because the compute worker reads it whole anyway, under the same limits.
/// </summary>
public sealed class UploadedVolumes(IOptions<ServerOptions> options)
{
    /// <summary>Checks a file already saved under a name carrying the upload's extension by reading it whole.</summary>
    public void EnsureReadable(string path, string field, string uploadedName)
    {
        if (!VolumeFile.IsVolumePath(path)) return;
        var limits = options.Value.UploadReadOptions;
        try
        {
            var volume = VolumeFile.Read(path, limits);
            EnsureVoxelBytes(volume.Shape.VoxelCount * volume.VoxelType.Size(), field, uploadedName);
        }
        catch (VolumeFormatException e)
        {
            throw Refusal(field, uploadedName, $"{e.Field}: {e.Problem}");
        }
    }

    /// <summary>Checks only the header of a file saved under the upload's extension (format, geometry, declared size
    /// against the limits, a raw file's length): for an input the compute worker reads whole, under
    /// <see cref="ServerOptions.UploadReadOptions"/> too, so the server need not read it a second time.</summary>
    public void EnsureHeaderReadable(string path, string field, string uploadedName)
    {
        if (!VolumeFile.IsVolumePath(path)) return;
        try
        {
            EnsureVoxelBytes(VolumeFile.ReadHeader(path, options.Value.UploadReadOptions).DataBytes, field, uploadedName);
        }
        catch (VolumeFormatException e)
        {
            throw Refusal(field, uploadedName, $"{e.Field}: {e.Problem}");
        }
    }

    /// <summary>The answer for an upload the compute worker refused: its message starts with the file name the job
    /// carried (<paramref name="storedName"/>), which is the server's temporary, not the client's.</summary>
    public static UploadRejectedException WorkerRefusal(string field, string uploadedName, string storedName, string message) =>
        Refusal(field, uploadedName, message.StartsWith(storedName + ": ", StringComparison.Ordinal) ? message[(storedName.Length + 2)..] : message);

    /// <summary>Raw (uncompressed) files are bounded by their own length, not by inflation: their voxel bytes are
    /// checked against the same limit.</summary>
    private void EnsureVoxelBytes(long bytes, string field, string uploadedName)
    {
        long limit = options.Value.UploadReadOptions.MaxDecompressedBytes;
        if (bytes > limit)
            throw new UploadRejectedException(field,
                $"'{FileNameRules.BareName(uploadedName)}' holds {bytes} bytes of voxels, more than the server's limit of {limit} (Server:MaxVolumeBytes)");
    }

    private static UploadRejectedException Refusal(string field, string uploadedName, string problem) =>
        new(field, $"'{FileNameRules.BareName(uploadedName)}' is refused: {LimitNames.ForServer(problem)}");

    /// <summary>Checks a form file before anything is stored: it is spooled to a private temporary under its own
    /// extension (the readers choose the format by name), read, and the temporary removed.</summary>
    public async Task EnsureReadableAsync(IFormFile file, string field, CancellationToken ct)
    {
        if (!VolumeFile.IsVolumePath(file.FileName)) return;
        string ext = VolumeExtension(file.FileName);
        var folder = Directory.CreateTempSubdirectory("ctseg-upload-check-");
        try
        {
            string path = Path.Combine(folder.FullName, "upload" + ext);
            await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                await file.CopyToAsync(target, ct);
            await Task.Run(() => EnsureReadable(path, field, file.FileName), ct);
        }
        finally
        {
            try { folder.Delete(recursive: true); }
            catch (IOException) { /* a temporary in the system's temp folder */ }
        }
    }

    private static string VolumeExtension(string fileName)
    {
        string bare = FileNameRules.BareName(fileName);
        foreach (string ext in (string[])[".seg.nrrd", ".nii.gz", ".nii", ".nrrd", ".nhdr"])
            if (bare.EndsWith(ext, StringComparison.OrdinalIgnoreCase)) return ext;
        return Path.GetExtension(bare);
    }
}
