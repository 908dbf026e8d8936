using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Operators;

/// <summary>
/// How target voxel indices map to continuous source indices when both grids share one Direction: the
/// map is then separable, s_c = Offset_c + Scale_c · t_c, and each axis can be tabulated once instead
/// of transforming every voxel.
/// </summary>
internal readonly record struct AxisMapping(double Offset, double Scale)
{
    // A point this close (in source voxels) to a voxel centre is read as that centre, so resampling onto
    // the same grid is exactly the identity despite rounding in the matrix products. 1e-6 voxels is far
    // below any spacing that matters (under a nanometre for millimetre voxels).
    private const double Snap = 1e-6;

    public double At(int t)
    {
        double s = Offset + Scale * t;
        double r = Math.Round(s);
        return Math.Abs(s - r) < Snap ? r : s;
    }

    /// <summary>The three per-axis maps from <paramref name="target"/> indices to <paramref name="source"/> indices.</summary>
    public static AxisMapping[] Between(ImageGeometry source, ImageGeometry target)
    {
        double dirDiff = source.Direction.MaxAbsDifference(target.Direction);
        if (dirDiff > 1e-6)
            throw new ArgumentException(
                $"resampling needs grids with the same direction (axis-aligned to each other); source is {source.OrientationCode} " +
                $"and target {target.OrientationCode}, directions differ by {dirDiff:G3}. Reorient or use a general transform first.",
                nameof(target));
        var inverse = source.IndexToWorldMatrix.Inverse();
        var step = inverse * target.IndexToWorldMatrix;
        var offset = inverse * (target.Origin - source.Origin);
        var maps = new AxisMapping[3];
        for (int c = 0; c < 3; c++) maps[c] = new AxisMapping(offset[c], step[c, c]);
        return maps;
    }

    /// <summary>True when s lies inside the source's outer voxel edges [−0.5, n − 0.5] (with the snap tolerance).</summary>
    public static bool Inside(double s, int n) => s >= -0.5 - Snap && s <= n - 0.5 + Snap;
}
