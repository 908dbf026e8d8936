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
/// The cost is one read of the volume (about a second for a whole-body CT), paid once per upload.
/// </summary>
public sealed class UploadedVolumes(IOptions<ServerOptions> options)
{
    /// <summary>Checks a file already saved under a name carrying the upload's extension.</summary>
    public void EnsureReadable(string path, string field, string uploadedName)
    {
        if (!VolumeFile.IsVolumePath(path)) return;
        var limits = options.Value.UploadReadOptions;
        string name = FileNameRules.BareName(uploadedName);
        try
        {
            var volume = VolumeFile.Read(path, limits);
            // Raw (uncompressed) files are bounded by their own length, not by inflation: check their voxel bytes here.
            long bytes = volume.Shape.VoxelCount * volume.VoxelType.Size();
            if (bytes > limits.MaxDecompressedBytes)
                throw new UploadRejectedException(field,
                    $"'{name}' holds {bytes} bytes of voxels, more than the server's limit of {limits.MaxDecompressedBytes} (Server:MaxVolumeBytes)");
        }
        catch (VolumeFormatException e)
        {
            throw new UploadRejectedException(field, $"'{name}' is refused: {e.Field}: {LimitNames.ForServer(e.Problem)}");
        }
    }

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
