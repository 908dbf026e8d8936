using System.Numerics;
using CtSegLabel.Imaging.Operators;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Inference.Pipeline;

/// <summary>
/// Stage 7: labels from the model grid back onto the input's own grid, exactly (thesis §3.8 scores them there).
/// The flip into the model orientation is undone (exact), then every input voxel centre takes the model voxel whose
/// cell holds it (nearest neighbour), and voxels outside the body box get background.
/// <para>
/// Resampling straight onto the whole input grid is the crop's inverse in one step: the model grid's outer edges are
/// the box's outer edges, so the input voxels inside the box are looked up exactly as on the cropped grid, and those
/// outside it lie beyond the model grid's edges and get the fill value — what <see cref="VolumeCrop.Uncrop{T}"/>
/// would have pasted, without a box-sized intermediate volume.
/// </para>
/// </summary>
public static class InputGrid
{
    public static Volume<T> Restore<T>(Volume<T> modelLabels, PreprocessedImage preprocessed, ImageGeometry input)
        where T : unmanaged, INumber<T>
    {
        var native = preprocessed.NativeModelGrid;
        if (modelLabels.Shape != preprocessed.Model.Shape)
            throw new ArgumentException($"labels {modelLabels.Shape} are not on the model grid {preprocessed.Model.Shape}", nameof(modelLabels));
        var onNative = modelLabels.Geometry.OrientationCode == native.OrientationCode
            ? modelLabels
            : Reorientation.To(modelLabels, native.OrientationCode);
        // The flip is exact; taking the native grid itself drops the last bits of rounding in its origin.
        var full = Resampler.Nearest(onNative.WithGeometryTyped(native), TieBreak(preprocessed.AxialInput, preprocessed.Model.Geometry)).WithGeometryTyped(preprocessed.AxialInput);
        if (preprocessed.InputReoriented) full = Reorientation.To(full, input.OrientationCode);
        return full.WithGeometryTyped(input);
    }

    /// <summary>Where an input voxel centre lies exactly on the border of two model cells (common: a box of 88
    /// voxels stretched to 80 puts every eleventh on one), nearest neighbour picks the cell with the larger index
    /// along the grid's own axes — the opposite physical cell for a flipped input. Looking up from points moved
    /// 10⁻⁴ model voxels along the model orientation's axes settles every such tie toward the same physical cell, so
    /// the segmentation does not depend on how the input's axes are stored; nothing else moves (10⁻⁴ is far from
    /// every other border and from the box's outer edges, which lie half an input voxel from the nearest input centre).</summary>
    internal static ImageGeometry TieBreak(ImageGeometry target, ImageGeometry model)
    {
        const double shift = 1e-4;
        return target with { Origin = target.Origin + model.IndexToWorldMatrix * new Vec3(shift, shift, shift) };
    }
}
