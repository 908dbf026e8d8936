using System.Numerics;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Operators;

/// <summary>The box found around the body and the CT cut down to it.</summary>
/// <param name="Box">Half-open voxel box in the original volume.</param>
/// <param name="Cropped">The voxels inside <paramref name="Box"/>, origin shifted so each keeps its world position.</param>
/// <param name="BodyFound">False when no voxel exceeded the threshold; the box is then the whole volume.</param>
public sealed record BodyCropResult<T>(VoxelBox Box, Volume<T> Cropped, bool BodyFound) where T : unmanaged, INumber<T>;

/// <summary>
/// Thesis §3.2 step 1: crop the air away — the bounding box of every voxel above −200 HU. It is a plain
/// bounding box (the couch, if denser than the threshold, stays inside it, as in the thesis).
/// </summary>
public static class BodyCrop
{
    public const double DefaultThresholdHu = -200;

    /// <summary>
    /// The half-open box of voxels whose value is strictly above <paramref name="thresholdHu"/>, grown by
    /// <paramref name="margin"/> voxels per side and clamped to the volume. When nothing is above the
    /// threshold the whole volume is returned (and <paramref name="bodyFound"/> is false): an all-air scan
    /// is better passed on whole than turned into an empty volume no later step could handle.
    /// </summary>
    public static VoxelBox FindBox<T>(Volume<T> ct, out bool bodyFound, double thresholdHu = DefaultThresholdHu, int margin = 0)
        where T : unmanaged, INumber<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(margin);
        var shape = ct.Shape;
        var above = new ValueThreshold<T>(thresholdHu);
        // Per slice: i range, j range (inclusive), or none. Scanning each row from both ends stops at the
        // skin, so most air voxels of a body slice are never read.
        var sliceBoxes = new (int I0, int I1, int J0, int J1)?[shape.Z];
        var data = ct.Data;
        Parallel.For(0, shape.Z, k =>
        {
            int i0 = int.MaxValue, i1 = -1, j0 = int.MaxValue, j1 = -1;
            for (int j = 0; j < shape.Y; j++)
            {
                var row = new ReadOnlySpan<T>(data, (int)shape.Index(0, j, k), shape.X);
                int first = above.FirstAbove(row);
                if (first < 0) continue;
                int last = above.LastAbove(row);
                i0 = Math.Min(i0, first);
                i1 = Math.Max(i1, last);
                j0 = Math.Min(j0, j);
                j1 = j;
            }
            if (i1 >= 0) sliceBoxes[k] = (i0, i1, j0, j1);
        });

        int bi0 = int.MaxValue, bi1 = -1, bj0 = int.MaxValue, bj1 = -1, bk0 = int.MaxValue, bk1 = -1;
        for (int k = 0; k < shape.Z; k++)
        {
            if (sliceBoxes[k] is not { } b) continue;
            bi0 = Math.Min(bi0, b.I0); bi1 = Math.Max(bi1, b.I1);
            bj0 = Math.Min(bj0, b.J0); bj1 = Math.Max(bj1, b.J1);
            bk0 = Math.Min(bk0, k); bk1 = k;
        }
        bodyFound = bk1 >= 0;
        if (!bodyFound) return VoxelBox.Whole(shape);
        return new VoxelBox(bi0, bi1 + 1, bj0, bj1 + 1, bk0, bk1 + 1).Expand(margin, shape);
    }

    /// <summary>Finds the body box (see <see cref="FindBox{T}"/>) and crops the CT to it.</summary>
    public static BodyCropResult<T> Apply<T>(Volume<T> ct, double thresholdHu = DefaultThresholdHu, int margin = 0)
        where T : unmanaged, INumber<T>
    {
        var box = FindBox(ct, out bool found, thresholdHu, margin);
        return new BodyCropResult<T>(box, VolumeCrop.Crop(ct, box), found);
    }
}
