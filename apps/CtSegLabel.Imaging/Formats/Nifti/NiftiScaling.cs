using System.Numerics;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Formats.Nifti;

/// <summary>
/// Applies scl_slope / scl_inter (value = stored · slope + inter) so callers always see real values,
/// e.g. Hounsfield units of a CT stored as uint16 with inter −1024.
/// </summary>
internal static class NiftiScaling
{
    private const int Chunk = 1 << 16;

    public static Volume Apply(Volume stored, float slope, float inter, string path)
    {
        // The standard: slope 0 means "no scaling"; nibabel also treats a non-finite slope that way.
        if (!float.IsFinite(slope) || slope == 0) return stored;
        if (float.IsInfinity(inter))
            throw new VolumeFormatException(path, "scl_inter", $"is {inter}; scaling by slope {slope} would make every voxel infinite");
        double s = slope, b = float.IsNaN(inter) ? 0 : inter;
        if (s == 1 && b == 0) return stored;
        return Scale(stored, s, b, TargetType(stored, s, b));
    }

    /// <summary>Integer scaling of integer data stays integer (int16 when the scaled values fit, else
    /// int32): HU volumes keep their compact exact type. Integer results beyond int32 go to float64,
    /// which holds them exactly where float32 would not. Anything fractional becomes float32, or float64
    /// when the file already chose double precision.</summary>
    private static VoxelType TargetType(Volume stored, double s, double b)
    {
        if (stored.VoxelType == VoxelType.Float64) return VoxelType.Float64;
        if (!stored.VoxelType.IsInteger() || s != Math.Round(s) || b != Math.Round(b)) return VoxelType.Float32;
        var (min, max) = stored.ValueRange();
        double lo = Math.Min(min * s + b, max * s + b), hi = Math.Max(min * s + b, max * s + b);
        foreach (var t in new[] { VoxelType.Int16, VoxelType.Int32 })
        {
            var (tlo, thi) = t.Range();
            if (lo >= tlo && hi <= thi) return t;
        }
        return VoxelType.Float64;
    }

    private static Volume Scale(Volume stored, double s, double b, VoxelType target) => stored.Apply(new ScaleTo(s, b, target));

    private sealed class ScaleTo(double s, double b, VoxelType target) : IVolumeFunc<Volume>
    {
        public Volume Invoke<T>(Volume<T> volume) where T : unmanaged, INumber<T> => ScaleFrom(volume, s, b, target);
    }

    private static Volume ScaleFrom<TIn>(Volume<TIn> v, double s, double b, VoxelType target)
        where TIn : unmanaged, INumber<TIn> => target switch
        {
            VoxelType.Int16 => Map<TIn, short>(v, s, b),
            VoxelType.Int32 => Map<TIn, int>(v, s, b),
            VoxelType.Float32 => Map<TIn, float>(v, s, b),
            _ => Map<TIn, double>(v, s, b),
        };

    private static Volume<TOut> Map<TIn, TOut>(Volume<TIn> v, double s, double b)
        where TIn : unmanaged, INumber<TIn>
        where TOut : unmanaged, INumber<TOut>
    {
        var src = v.Data;
        // Same element type (float data): scale in place rather than hold two full copies.
        var dst = typeof(TIn) == typeof(TOut) ? (TOut[])(object)src : new TOut[src.Length];
        Parallel.For(0, (src.Length + Chunk - 1) / Chunk, chunk =>
        {
            int end = Math.Min(src.Length, (chunk + 1) * Chunk);
            for (int n = chunk * Chunk; n < end; n++)
                dst[n] = TOut.CreateTruncating(double.CreateTruncating(src[n]) * s + b);
        });
        return new Volume<TOut>(v.Geometry, dst);
    }
}
