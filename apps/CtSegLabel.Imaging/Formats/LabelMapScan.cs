using System.Numerics;
using System.Runtime.ExceptionServices;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Formats;

/// <summary>Where one label value lies: its voxel count and the inclusive index box around its voxels.</summary>
public readonly record struct LabelExtent(long Count, int MinI, int MaxI, int MinJ, int MaxJ, int MinK, int MaxK)
{
    /// <summary>As Slicer's Segment{i}_Extent writes it: "i0 i1 j0 j1 k0 k1".</summary>
    public override string ToString() => $"{MinI} {MaxI} {MinJ} {MaxJ} {MinK} {MaxK}";

    /// <summary>Slicer's spelling of the extent of a segment with no voxels.</summary>
    public const string Empty = "0 -1 0 -1 0 -1";

    internal LabelExtent Union(LabelExtent o) => new(Count + o.Count,
        Math.Min(MinI, o.MinI), Math.Max(MaxI, o.MaxI), Math.Min(MinJ, o.MinJ), Math.Max(MaxJ, o.MaxJ),
        Math.Min(MinK, o.MinK), Math.Max(MaxK, o.MaxK));

    internal LabelExtent WithRun(int i0, int i1, int j, int k) => Count == 0
        ? new(i1 - i0 + 1, i0, i1, j, j, k, k)
        : new(Count + i1 - i0 + 1, Math.Min(MinI, i0), Math.Max(MaxI, i1), Math.Min(MinJ, j), Math.Max(MaxJ, j), Math.Min(MinK, k), Math.Max(MaxK, k));
}

/// <summary>
/// One parallel pass over a label map that finds every non-zero value and the box around its voxels
/// (what .seg.nrrd extents and segment lists need). Rows are walked as runs of equal values, with
/// vectorised skipping of background, so the cost is per run rather than per voxel. A label map holds
/// non-negative whole numbers; anything else is a caller's mistake and raises <see cref="ArgumentException"/>.
/// </summary>
public static class LabelMapScan
{
    public static SortedDictionary<long, LabelExtent> Extents(Volume labels) => labels.Apply(new ScanAny());

    private sealed class ScanAny : IVolumeFunc<SortedDictionary<long, LabelExtent>>
    {
        public SortedDictionary<long, LabelExtent> Invoke<T>(Volume<T> volume) where T : unmanaged, INumber<T> => Scan(volume);
    }

    private static SortedDictionary<long, LabelExtent> Scan<T>(Volume<T> labels) where T : unmanaged, INumber<T>
    {
        var shape = labels.Shape;
        var data = labels.Data;
        // 8- and 16-bit values index an array directly; wider types go through a dictionary (per run).
        int denseSize = typeof(T) == typeof(byte) || typeof(T) == typeof(sbyte) ? 256
            : typeof(T) == typeof(short) || typeof(T) == typeof(ushort) ? 65536 : 0;
        bool integer = labels.VoxelType.IsInteger();
        var result = new SortedDictionary<long, LabelExtent>();
        var gate = new object();
        try
        {
            Parallel.For(0, shape.Z, () => new Tally(denseSize), (k, _, tally) =>
            {
                for (int j = 0; j < shape.Y; j++)
                {
                    var row = data.AsSpan((int)shape.Index(0, j, k), shape.X);
                    int i = 0;
                    while (i < row.Length)
                    {
                        int skip = row[i..].IndexOfAnyExcept(T.Zero);
                        if (skip < 0) break;
                        i += skip;
                        T value = row[i];
                        int run = row[i..].IndexOfAnyExcept(value);
                        int end = run < 0 ? row.Length - 1 : i + run - 1;
                        tally.Add(Key(value, integer, i, j, k), i, end, j, k);
                        i = end + 1;
                    }
                }
                return tally;
            }, tally =>
            {
                lock (gate) tally.MergeInto(result);
            });
        }
        catch (AggregateException e) when (e.InnerException is ArgumentException inner)
        {
            ExceptionDispatchInfo.Capture(inner).Throw();
        }
        return result;
    }

    private static long Key<T>(T value, bool integer, int i, int j, int k) where T : unmanaged, INumber<T>
    {
        double d = double.CreateTruncating(value);
        if (d < 0) throw new ArgumentException($"a label map holds non-negative values; voxel ({i},{j},{k}) is {d}", "labels");
        if (!integer && (d != Math.Floor(d) || d > long.MaxValue))
            throw new ArgumentException($"a label map holds whole numbers; voxel ({i},{j},{k}) is {d}", "labels");
        return integer ? long.CreateTruncating(value) : (long)d;
    }

    /// <summary>One thread's running boxes.</summary>
    private sealed class Tally(int denseSize)
    {
        private readonly LabelExtent[]? _dense = denseSize > 0 ? new LabelExtent[denseSize] : null;
        private readonly Dictionary<long, LabelExtent> _sparse = new();

        public void Add(long value, int i0, int i1, int j, int k)
        {
            if (_dense is not null)
            {
                ref var e = ref _dense[value];
                e = e.WithRun(i0, i1, j, k);
                return;
            }
            _sparse[value] = _sparse.GetValueOrDefault(value).WithRun(i0, i1, j, k);
        }

        public void MergeInto(SortedDictionary<long, LabelExtent> result)
        {
            IEnumerable<KeyValuePair<long, LabelExtent>> entries = _dense is not null
                ? _dense.Select((e, v) => new KeyValuePair<long, LabelExtent>(v, e)).Where(p => p.Value.Count > 0)
                : _sparse;
            foreach (var (value, extent) in entries)
                result[value] = result.TryGetValue(value, out var have) ? have.Union(extent) : extent;
        }
    }
}
