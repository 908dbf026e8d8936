using System.Numerics;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Operators;

/// <summary>
/// 3-D connected-component labelling in linear time, by union-find over row RUNS: every row (fixed j, k)
/// is cut into maximal runs of foreground voxels (of one value in per-value mode); runs are united with
/// the touching runs of the earlier neighbour rows; a final pass numbers the roots. Work is O(voxels) for
/// the run scans (done in parallel over slices) plus near-O(runs) for the union-find, with no recursion
/// and no per-voxel allocation — a whole-body CT has a few runs per row, not a few hundred voxels.
/// </summary>
public static class ConnectedComponents
{
    public static ComponentLabeling Label<T>(Volume<T> volume, Connectivity connectivity = Connectivity.Full26,
        ComponentGrouping grouping = ComponentGrouping.PerValue) where T : unmanaged, INumber<T>
    {
        if (connectivity is not (Connectivity.Faces6 or Connectivity.Full26))
            throw new ArgumentOutOfRangeException(nameof(connectivity), connectivity, null);
        bool perValue = grouping switch
        {
            ComponentGrouping.PerValue => true,
            ComponentGrouping.Binary => false,
            _ => throw new ArgumentOutOfRangeException(nameof(grouping), grouping, null),
        };
        var shape = volume.Shape;
        var runs = RowRuns<T>.Extract(volume, perValue);
        var parent = new int[runs.Count];
        for (int n = 0; n < parent.Length; n++) parent[n] = n;

        // Earlier rows that can touch row (j, k): with 6-connectivity only the face neighbours (j−1, k) and
        // (j, k−1) with overlapping i; with 26-connectivity also (j−1, k−1) and (j+1, k−1), and runs one voxel
        // apart in i touch diagonally.
        var neighbourRows = connectivity == Connectivity.Faces6
            ? new (int Dj, int Dk)[] { (-1, 0), (0, -1) }
            : new (int Dj, int Dk)[] { (-1, 0), (-1, -1), (0, -1), (1, -1) };
        int reach = connectivity == Connectivity.Faces6 ? 0 : 1;
        for (int k = 0; k < shape.Z; k++)
            for (int j = 0; j < shape.Y; j++)
            {
                int row = j + shape.Y * k;
                if (runs.RowStart[row] == runs.RowStart[row + 1]) continue;
                foreach (var (dj, dk) in neighbourRows)
                {
                    int nj = j + dj, nk = k + dk;
                    if (nj < 0 || nj >= shape.Y || nk < 0) continue;
                    UniteTouchingRuns(runs, parent, row, nj + shape.Y * nk, reach, perValue);
                }
            }

        // Number the roots in the order their first run appears (runs are stored in raster order).
        var id = new int[runs.Count];
        var rootId = new int[runs.Count];
        int count = 0;
        for (int r = 0; r < runs.Count; r++)
        {
            int root = Find(parent, r);
            if (rootId[root] == 0) rootId[root] = ++count;
            id[r] = rootId[root];
        }

        var map = new Volume<int>(volume.Geometry);
        var mapData = map.Data;
        Parallel.For(0, shape.Z, k =>
        {
            for (int j = 0; j < shape.Y; j++)
            {
                int row = j + shape.Y * k;
                long rowBase = shape.Index(0, j, k);
                for (int r = runs.RowStart[row]; r < runs.RowStart[row + 1]; r++)
                    mapData.AsSpan((int)(rowBase + runs.Start[r]), runs.End[r] - runs.Start[r]).Fill(id[r]);
            }
        });

        return new ComponentLabeling(map, Summarise(runs, id, count, shape, perValue));
    }

    private static void UniteTouchingRuns<T>(RowRuns<T> runs, int[] parent, int row, int otherRow, int reach, bool perValue)
        where T : unmanaged, INumber<T>
    {
        int b = runs.RowStart[otherRow], bEnd = runs.RowStart[otherRow + 1];
        if (b == bEnd) return;
        for (int a = runs.RowStart[row], aEnd = runs.RowStart[row + 1]; a < aEnd; a++)
        {
            int aStart = runs.Start[a], aStop = runs.End[a];
            // Skip other-row runs wholly left of a; a later a starts further right, so b never moves back.
            while (b < bEnd && runs.End[b] + reach <= aStart) b++;
            for (int c = b; c < bEnd && runs.Start[c] < aStop + reach; c++)
                if (!perValue || runs.Value[a] == runs.Value[c])
                    Union(parent, a, c);
        }
    }

    private static int Find(int[] parent, int x)
    {
        while (parent[x] != x)
        {
            parent[x] = parent[parent[x]]; // path halving
            x = parent[x];
        }
        return x;
    }

    private static void Union(int[] parent, int a, int b)
    {
        int ra = Find(parent, a), rb = Find(parent, b);
        if (ra == rb) return;
        // The smaller index becomes the root: deterministic, and roots are always the earliest run.
        if (ra < rb) parent[rb] = ra; else parent[ra] = rb;
    }

    private static List<ComponentInfo> Summarise<T>(RowRuns<T> runs, int[] id, int count, Shape3 shape, bool perValue)
        where T : unmanaged, INumber<T>
    {
        var size = new long[count + 1];
        var value = new double[count + 1];
        var i0 = new int[count + 1]; var i1 = new int[count + 1];
        var j0 = new int[count + 1]; var j1 = new int[count + 1];
        var k0 = new int[count + 1]; var k1 = new int[count + 1];
        Array.Fill(i0, int.MaxValue); Array.Fill(j0, int.MaxValue); Array.Fill(k0, int.MaxValue);
        for (int row = 0; row < shape.Y * shape.Z; row++)
        {
            int j = row % shape.Y, k = row / shape.Y;
            for (int r = runs.RowStart[row]; r < runs.RowStart[row + 1]; r++)
            {
                int c = id[r];
                if (size[c] == 0) value[c] = perValue ? double.CreateTruncating(runs.Value[r]) : 1;
                size[c] += runs.End[r] - runs.Start[r];
                i0[c] = Math.Min(i0[c], runs.Start[r]); i1[c] = Math.Max(i1[c], runs.End[r]);
                j0[c] = Math.Min(j0[c], j); j1[c] = Math.Max(j1[c], j + 1);
                k0[c] = Math.Min(k0[c], k); k1[c] = Math.Max(k1[c], k + 1);
            }
        }
        var list = new List<ComponentInfo>(count);
        for (int c = 1; c <= count; c++)
            list.Add(new ComponentInfo(c, value[c], size[c], new VoxelBox(i0[c], i1[c], j0[c], j1[c], k0[c], k1[c])));
        return list;
    }
}
