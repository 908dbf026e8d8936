using System.Numerics;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Operators;

/// <summary>
/// Output volumes for operators that write every voxel: skipping the zeroing of a 150 MB buffer that is
/// about to be overwritten saves a full pass over memory.
/// </summary>
internal static class UninitializedVolume
{
    public static Volume<T> Create<T>(ImageGeometry geometry) where T : unmanaged, INumber<T>
    {
        long n = geometry.Shape.VoxelCount;
        if (n > Array.MaxLength)
            throw new ArgumentException($"shape {geometry.Shape} has {n} voxels; one volume holds at most {Array.MaxLength}", nameof(geometry));
        return new Volume<T>(geometry, GC.AllocateUninitializedArray<T>((int)n));
    }
}
