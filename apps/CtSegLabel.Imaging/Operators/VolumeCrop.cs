using System.Numerics;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Operators;

/// <summary>Cutting a box out of a volume and putting a box-sized volume back. Only the origin moves:
/// spacing and direction are unchanged, so every copied voxel keeps its exact world position.</summary>
public static class VolumeCrop
{
    /// <summary>The geometry of the box: voxel (0,0,0) of the result is voxel (I0,J0,K0) of the original.</summary>
    public static ImageGeometry CropGeometry(ImageGeometry geometry, VoxelBox box)
    {
        CheckBox(box, geometry.Shape);
        return geometry with { Shape = box.Shape, Origin = geometry.IndexToWorld(box.I0, box.J0, box.K0) };
    }

    /// <summary>Copies the voxels inside <paramref name="box"/> into a new volume with the shifted origin.</summary>
    public static Volume<T> Crop<T>(Volume<T> volume, VoxelBox box) where T : unmanaged, INumber<T>
    {
        var output = Volume<T>.Uninitialized(CropGeometry(volume.Geometry, box));
        var src = volume.Data;
        var dst = output.Data;
        var srcShape = volume.Shape;
        var outShape = output.Shape;
        int rowLength = outShape.X;
        Parallel.For(0, outShape.Z, k =>
        {
            for (int j = 0; j < outShape.Y; j++)
            {
                long from = srcShape.Index(box.I0, box.J0 + j, box.K0 + k);
                long to = outShape.Index(0, j, k);
                Array.Copy(src, from, dst, to, rowLength);
            }
        });
        return output;
    }

    /// <summary>
    /// The inverse of <see cref="Crop{T}"/>: a volume of <paramref name="originalGeometry"/> holding
    /// <paramref name="part"/> inside <paramref name="box"/> and <paramref name="fill"/> everywhere else
    /// (for a label map, 0 = background). The part must lie on the box's grid: a volume that was resampled
    /// somewhere else cannot be pasted without losing its geometry, so that is refused.
    /// </summary>
    public static Volume<T> Uncrop<T>(Volume<T> part, ImageGeometry originalGeometry, VoxelBox box, T fill = default)
        where T : unmanaged, INumber<T>
    {
        var expected = CropGeometry(originalGeometry, box);
        if (!part.Geometry.SameGrid(expected, 1e-3) || part.Geometry.Direction.MaxAbsDifference(expected.Direction) > 1e-6)
            throw new ArgumentException($"the part ({part.Geometry}) is not the box {box} of the original grid ({expected})", nameof(part));
        var output = new Volume<T>(originalGeometry);
        if (fill != T.Zero) Array.Fill(output.Data, fill);
        var src = part.Data;
        var dst = output.Data;
        var partShape = part.Shape;
        var fullShape = originalGeometry.Shape;
        Parallel.For(0, partShape.Z, k =>
        {
            for (int j = 0; j < partShape.Y; j++)
                Array.Copy(src, partShape.Index(0, j, k), dst, fullShape.Index(box.I0, box.J0 + j, box.K0 + k), partShape.X);
        });
        return output;
    }

    private static void CheckBox(VoxelBox box, Shape3 shape)
    {
        if (box.IsEmpty || !box.FitsIn(shape))
            throw new ArgumentException($"box {box} must be non-empty and inside the volume {shape}", nameof(box));
    }
}
