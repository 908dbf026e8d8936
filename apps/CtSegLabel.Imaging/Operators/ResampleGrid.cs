using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Operators;

/// <summary>How the slice axis of the model grid is chosen (see <see cref="ResampleGrid.ForModel"/>).</summary>
public enum SliceSpacingMode
{
    /// <summary>Slice count = max(1, round(extent / spacing)); the spacing is then stretched to extent / count so the
    /// outer edges of the slice axis coincide exactly with the source's (spacing within ±1.5 mm / count of 3 mm).</summary>
    PreserveExtent,

    /// <summary>Same count, spacing exactly the requested one, grid centred on the source: the outer edges differ by
    /// at most half a target slice in total (a quarter slice per end), so end slices may fall outside it.</summary>
    ExactSpacing,
}

/// <summary>
/// Target grids for resampling that keep the physical box: the new grid's OUTER voxel edges coincide with the
/// source's, i.e. new spacing = old extent / new count and the first centre sits half a new voxel inside the
/// old outer edge. Direction is unchanged, so <see cref="Resampler"/> applies and the whole chain stays exact.
/// </summary>
public static class ResampleGrid
{
    public const int ModelInPlaneSize = 128;
    public const double ModelSliceSpacingMm = 3.0;

    /// <summary>The box of <paramref name="source"/> divided into <paramref name="shape"/> voxels (stretched, not padded).</summary>
    public static ImageGeometry Stretch(ImageGeometry source, Shape3 shape)
    {
        if (shape.X < 1 || shape.Y < 1 || shape.Z < 1)
            throw new ArgumentOutOfRangeException(nameof(shape), shape, "every target count must be at least 1");
        var spacing = new double[3];
        var firstCentre = new double[3];
        for (int c = 0; c < 3; c++)
        {
            double ratio = (double)source.Shape[c] / shape[c]; // new spacing in old voxels
            spacing[c] = source.Spacing[c] * ratio;
            firstCentre[c] = -0.5 + 0.5 * ratio;
        }
        return new ImageGeometry(shape, new Vec3(spacing[0], spacing[1], spacing[2]),
            source.IndexToWorld(firstCentre[0], firstCentre[1], firstCentre[2]), source.Direction);
    }

    /// <summary>
    /// Thesis §3.2 step 2: 128×128 in-plane (the cropped box stretched to a square grid) and 3 mm slices.
    /// Slice count = max(1, round(extent_k / sliceSpacing)); <paramref name="mode"/> decides whether the
    /// extent (default: exact outer edges, so every original voxel maps back inside the model grid) or the
    /// spacing is kept exactly.
    /// </summary>
    public static ImageGeometry ForModel(ImageGeometry source, int sizeX = ModelInPlaneSize, int sizeY = ModelInPlaneSize,
        double sliceSpacingMm = ModelSliceSpacingMm, SliceSpacingMode mode = SliceSpacingMode.PreserveExtent)
    {
        if (!(sliceSpacingMm > 0) || double.IsInfinity(sliceSpacingMm))
            throw new ArgumentOutOfRangeException(nameof(sliceSpacingMm), sliceSpacingMm, "slice spacing must be a positive number of millimetres");
        double extent = source.Shape.Z * source.Spacing.Z;
        int slices = (int)Math.Max(1, Math.Round(extent / sliceSpacingMm, MidpointRounding.AwayFromZero));
        var stretched = Stretch(source, new Shape3(sizeX, sizeY, slices));
        if (mode == SliceSpacingMode.PreserveExtent) return stretched;

        // Centre a grid of exactly sliceSpacingMm on the source's slice axis.
        double step = sliceSpacingMm / source.Spacing.Z; // in source slices
        double firstK = (source.Shape.Z - 1) / 2.0 - (slices - 1) / 2.0 * step;
        var origin0 = stretched.Origin;
        var shift = source.IndexToWorld(0, 0, firstK) - source.IndexToWorld(0, 0, -0.5 + 0.5 * source.Shape.Z / (double)slices);
        return stretched with
        {
            Spacing = stretched.Spacing with { Z = sliceSpacingMm },
            Origin = origin0 + shift,
        };
    }
}
