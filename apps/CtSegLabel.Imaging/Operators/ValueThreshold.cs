using System.Numerics;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Operators;

/// <summary>
/// "value &gt; threshold" for a voxel type, expressed as a comparison in that type so that hot loops
/// compare T with T instead of converting every voxel to double. Exact: for every value v of T,
/// v counts as above iff <c>(double)v &gt; threshold</c>; NaN is never above.
/// </summary>
internal readonly struct ValueThreshold<T> where T : unmanaged, INumber<T>
{
    private readonly T _bound;
    private readonly bool _all;
    private readonly bool _none;

    public ValueThreshold(double threshold)
    {
        if (double.IsNaN(threshold)) throw new ArgumentException("threshold is NaN", nameof(threshold));
        if (typeof(T) == typeof(double))
        {
            _bound = T.CreateTruncating(threshold);
        }
        else if (typeof(T) == typeof(float))
        {
            // The largest float not above the threshold: a float exceeds it exactly when it exceeds the threshold.
            float f = (float)threshold;
            if (f > threshold) f = MathF.BitDecrement(f);
            _bound = T.CreateTruncating(f);
        }
        else
        {
            var (min, max) = VoxelTypes.Of<T>().Range();
            double floor = Math.Floor(threshold);
            if (floor < min) _all = true;
            else if (floor >= max) _none = true;
            else _bound = T.CreateTruncating(floor);
        }
    }

    /// <summary>Index of the first element above the threshold, or -1.</summary>
    public int FirstAbove(ReadOnlySpan<T> row)
    {
        if (_none) return -1;
        if (_all) return row.Length > 0 ? 0 : -1;
        for (int n = 0; n < row.Length; n++)
            if (row[n] > _bound) return n;
        return -1;
    }

    /// <summary>Index of the last element above the threshold, or -1.</summary>
    public int LastAbove(ReadOnlySpan<T> row)
    {
        if (_none) return -1;
        if (_all) return row.Length - 1;
        for (int n = row.Length - 1; n >= 0; n--)
            if (row[n] > _bound) return n;
        return -1;
    }
}
