using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Operators;

/// <summary>
/// Weights for blending overlapping sliding-window predictions (thesis §3.7.1: "a Gaussian bell curve
/// centred on the centre of each window"). As in MONAI's Gaussian blend mode: per axis
/// exp(−d² / 2σ²) with σ = sigmaScale × window size (MONAI's default sigmaScale is 0.125), d the distance
/// from the window's centre, normalised to a maximum of 1, and raised to a small positive floor so that no
/// voxel has zero weight (a voxel covered by one window's edge only would otherwise divide by zero).
/// </summary>
public static class GaussianImportance
{
    public const double DefaultSigmaScale = 0.125;
    public const float DefaultFloor = 1e-3f;

    /// <summary>The 1-D bell along one axis of <paramref name="length"/> voxels (e.g. the 64 slices of a window along z).</summary>
    public static float[] Profile(int length, double sigmaScale = DefaultSigmaScale, float floor = DefaultFloor)
    {
        CheckFloor(floor);
        var profile = Bell(length, sigmaScale);
        for (int t = 0; t < length; t++) profile[t] = Math.Max(floor, profile[t]);
        return profile;
    }

    /// <summary>
    /// The 3-D map for a window of <paramref name="window"/> voxels, i fastest (the layout of
    /// <see cref="Volume{T}"/>): the product of the three bells, then the floor.
    /// </summary>
    public static float[] Window(Shape3 window, double sigmaScale = DefaultSigmaScale, float floor = DefaultFloor)
    {
        CheckFloor(floor);
        var px = Bell(window.X, sigmaScale);
        var py = Bell(window.Y, sigmaScale);
        var pz = Bell(window.Z, sigmaScale);
        var map = new float[window.VoxelCount];
        int n = 0;
        for (int k = 0; k < window.Z; k++)
            for (int j = 0; j < window.Y; j++)
            {
                float yz = py[j] * pz[k];
                for (int i = 0; i < window.X; i++) map[n++] = Math.Max(floor, px[i] * yz);
            }
        return map;
    }

    /// <summary>exp(−d²/2σ²) around the true centre (symmetric for even lengths too), divided by its maximum.</summary>
    private static float[] Bell(int length, double sigmaScale)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        if (!(sigmaScale > 0) || double.IsInfinity(sigmaScale))
            throw new ArgumentOutOfRangeException(nameof(sigmaScale), sigmaScale, "must be a positive number");
        double sigma = sigmaScale * length;
        double centre = (length - 1) / 2.0;
        var raw = new double[length];
        double max = 0;
        for (int t = 0; t < length; t++)
        {
            double d = t - centre;
            raw[t] = Math.Exp(-d * d / (2 * sigma * sigma));
            max = Math.Max(max, raw[t]);
        }
        var bell = new float[length];
        for (int t = 0; t < length; t++) bell[t] = (float)(raw[t] / max);
        return bell;
    }

    private static void CheckFloor(float floor)
    {
        if (!(floor > 0 && floor <= 1)) throw new ArgumentOutOfRangeException(nameof(floor), floor, "must be in (0, 1]");
    }
}
