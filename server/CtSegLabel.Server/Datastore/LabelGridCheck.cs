using System.Collections.Concurrent;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Server.Errors;
using CtSegLabel.Server.Hosting;
using Microsoft.Extensions.Options;

namespace CtSegLabel.Server.Datastore;

/// <summary>
/// Refuses a submitted label that cannot belong to its image: an unreadable volume file (422 naming
/// the field) or a shape other than the image's (422 naming both shapes). Files that are not volumes
/// (a detection .json) and images this server cannot read are let through, as MONAI Label does.
/// Both are read under the server's volume limits (Server:MaxVolumeBytes, Server:MaxVolumeVoxels).
/// Image shapes are remembered per file version: reading a whole CT for every submission is wasteful.
/// </summary>
public sealed class LabelGridCheck(ILogger<LabelGridCheck> logger, IOptions<ServerOptions> options)
{
    private readonly ConcurrentDictionary<string, (long Length, DateTime Modified, Shape3 Shape)> _imageShapes = new();

    public void EnsureMatches(string imageId, string imagePath, string labelPath, string uploadedName)
    {
        if (!IsVolume(labelPath)) return;
        Shape3 labelShape;
        try
        {
            labelShape = VolumeFile.Read(labelPath, options.Value.UploadReadOptions).Shape;
        }
        catch (VolumeFormatException e)
        {
            throw ApiException.Unprocessable($"label file '{Path.GetFileName(uploadedName)}' is not a readable volume: {e.Field}: {e.Problem}");
        }

        if (!IsVolume(imagePath)) return;
        Shape3 imageShape;
        try
        {
            imageShape = ImageShape(imagePath);
        }
        catch (VolumeFormatException e)
        {
            logger.LogWarning("Cannot read image {Id} to check a label's shape ({Message}); label accepted unchecked", imageId, e.Message);
            return;
        }
        if (labelShape != imageShape)
            throw ApiException.Unprocessable(
                $"label shape {labelShape} does not match the shape {imageShape} of image '{imageId}'");
    }

    private Shape3 ImageShape(string path)
    {
        var file = new FileInfo(path);
        if (_imageShapes.TryGetValue(path, out var known) && known.Length == file.Length && known.Modified == file.LastWriteTimeUtc)
            return known.Shape;
        var shape = VolumeFile.Read(path, options.Value.VolumeReadOptions).Shape;
        _imageShapes[path] = (file.Length, file.LastWriteTimeUtc, shape);
        return shape;
    }

    private static bool IsVolume(string path)
    {
        try
        {
            VolumeFile.FormatOf(path);
            return true;
        }
        catch (VolumeFormatException)
        {
            return false;
        }
    }
}
