using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Formats;

/// <summary>
/// What a volume file declares, checked as <see cref="VolumeFile.Read"/> would check it but without reading (or
/// inflating) its voxels: the format, the grid, the voxel type as stored and the bytes of voxel data the header
/// declares (every layer of a layered segmentation). A caller that only has to decide whether a file is worth
/// reading — a server handing an upload to a worker that reads it anyway — pays for the header alone.
/// </summary>
public sealed record VolumeHeader(VolumeFormat Format, ImageGeometry Geometry, VoxelType VoxelType, long DataBytes)
{
    public Shape3 Shape => Geometry.Shape;
}
