using System.Numerics;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Operators;

/// <summary>
/// The foreground of a volume as maximal runs along i, row by row in raster order: run r of row
/// (j, k) covers i in [Start[r], End[r]); the runs of row j + Y·k are RowStart[row] .. RowStart[row + 1] − 1.
/// In per-value mode a run holds one value (two touching values make two runs).
/// </summary>
internal sealed class RowRuns<T> where T : unmanaged, INumber<T>
{
    private RowRuns(int[] rowStart, int[] start, int[] end, T[] value)
    {
        RowStart = rowStart;
        Start = start;
        End = end;
        Value = value;
    }

    public int[] RowStart { get; }
    public int[] Start { get; }
    public int[] End { get; }

    /// <summary>The value of each run (per-value mode only; empty for a binary mask).</summary>
    public T[] Value { get; }

    public int Count => Start.Length;

    public static RowRuns<T> Extract(Volume<T> volume, bool perValue)
    {
        var shape = volume.Shape;
        var data = volume.Data;
        int rows = shape.Y * shape.Z;
        var rowStart = new int[rows + 1];

        // Two passes over the voxels (count, then fill) so the run arrays are allocated once at their exact size.
        Parallel.For(0, shape.Z, k =>
        {
            for (int j = 0; j < shape.Y; j++)
                rowStart[j + shape.Y * k + 1] = CountRuns(Row(data, shape, j, k), perValue);
        });
        long total = 0;
        for (int row = 0; row < rows; row++)
        {
            total += rowStart[row + 1];
            if (total > Array.MaxLength) throw new InvalidOperationException("too many runs for one volume");
            rowStart[row + 1] = (int)total;
        }

        var start = new int[total];
        var end = new int[total];
        var value = perValue ? new T[total] : [];
        Parallel.For(0, shape.Z, k =>
        {
            for (int j = 0; j < shape.Y; j++)
            {
                var row = Row(data, shape, j, k);
                int r = rowStart[j + shape.Y * k];
                int i = 0;
                while (i < row.Length)
                {
                    T v = row[i];
                    if (v == T.Zero) { i++; continue; }
                    int s = i++;
                    if (perValue) while (i < row.Length && row[i] == v) i++;
                    else while (i < row.Length && row[i] != T.Zero) i++;
                    start[r] = s;
                    end[r] = i;
                    if (perValue) value[r] = v;
                    r++;
                }
            }
        });
        return new RowRuns<T>(rowStart, start, end, value);
    }

    private static ReadOnlySpan<T> Row(T[] data, Shape3 shape, int j, int k) =>
        new(data, (int)shape.Index(0, j, k), shape.X);

    private static int CountRuns(ReadOnlySpan<T> row, bool perValue)
    {
        int count = 0;
        T previous = T.Zero;
        for (int i = 0; i < row.Length; i++)
        {
            T v = row[i];
            if (v != T.Zero && (perValue ? v != previous : previous == T.Zero)) count++;
            previous = v;
        }
        return count;
    }
}
