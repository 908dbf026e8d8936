using CtSegLabel.Imaging.Operators;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Tests.Operators;

public class ConnectedComponentsTests
{
    /// <summary>
    /// Reference labelling by a different algorithm: breadth-first flood fill from every unvisited
    /// foreground voxel, testing all 26 (or 6) offsets with explicit bounds checks.
    /// </summary>
    private static int[] FloodFill(Volume<byte> v, Connectivity connectivity, bool perValue)
    {
        var s = v.Shape;
        var offsets = new List<(int, int, int)>();
        for (int dk = -1; dk <= 1; dk++)
            for (int dj = -1; dj <= 1; dj++)
                for (int di = -1; di <= 1; di++)
                {
                    int manhattan = Math.Abs(di) + Math.Abs(dj) + Math.Abs(dk);
                    if (manhattan == 0 || (connectivity == Connectivity.Faces6 && manhattan > 1)) continue;
                    offsets.Add((di, dj, dk));
                }
        var label = new int[v.Data.Length];
        int next = 0;
        var queue = new Queue<(int I, int J, int K)>();
        for (int k = 0; k < s.Z; k++)
            for (int j = 0; j < s.Y; j++)
                for (int i = 0; i < s.X; i++)
                {
                    if (v[i, j, k] == 0 || label[s.Index(i, j, k)] != 0) continue;
                    label[s.Index(i, j, k)] = ++next;
                    queue.Enqueue((i, j, k));
                    while (queue.Count > 0)
                    {
                        var p = queue.Dequeue();
                        foreach (var (di, dj, dk) in offsets)
                        {
                            int a = p.I + di, b = p.J + dj, c = p.K + dk;
                            if (!s.Contains(a, b, c) || v[a, b, c] == 0 || label[s.Index(a, b, c)] != 0) continue;
                            if (perValue && v[a, b, c] != v[p.I, p.J, p.K]) continue;
                            label[s.Index(a, b, c)] = next;
                            queue.Enqueue((a, b, c));
                        }
                    }
                }
        return label;
    }

    private static void AssertSamePartition(int[] expected, ComponentLabeling actual, Volume<byte> v, bool perValue)
    {
        var forward = new Dictionary<int, int>();
        var backward = new Dictionary<int, int>();
        var sizes = new Dictionary<int, long>();
        var boxes = new Dictionary<int, VoxelBox>();
        var s = v.Shape;
        for (int n = 0; n < expected.Length; n++)
        {
            int e = expected[n], a = actual.Map.Data[n];
            Assert.Equal(e == 0, a == 0);
            if (e == 0) continue;
            // The relabelling must be a bijection: same partition up to renumbering.
            Assert.Equal(e, forward.GetValueOrDefault(a, e));
            Assert.Equal(a, backward.GetValueOrDefault(e, a));
            forward[a] = e;
            backward[e] = a;
            sizes[a] = sizes.GetValueOrDefault(a) + 1;
            int i = n % s.X, j = n / s.X % s.Y, k = n / (s.X * s.Y);
            boxes[a] = boxes.TryGetValue(a, out var b)
                ? new VoxelBox(Math.Min(b.I0, i), Math.Max(b.I1, i + 1), Math.Min(b.J0, j), Math.Max(b.J1, j + 1), Math.Min(b.K0, k), Math.Max(b.K1, k + 1))
                : new VoxelBox(i, i + 1, j, j + 1, k, k + 1);
        }
        Assert.Equal(backward.Count, actual.Count);
        foreach (var c in actual.Components)
        {
            Assert.Equal(sizes[c.Id], c.Size);
            Assert.Equal(boxes[c.Id], c.Box);
            int first = Array.IndexOf(actual.Map.Data, c.Id);
            Assert.Equal(perValue ? v.Data[first] : 1.0, c.Value);
        }
        // Numbering follows the raster order of first voxels.
        int seen = 0;
        foreach (int id in actual.Map.Data)
            if (id > seen) { Assert.Equal(seen + 1, id); seen = id; }
    }

    [Theory]
    [InlineData(Connectivity.Faces6, 0.1)]
    [InlineData(Connectivity.Faces6, 0.3)]
    [InlineData(Connectivity.Faces6, 0.5)]
    [InlineData(Connectivity.Faces6, 0.7)]
    [InlineData(Connectivity.Full26, 0.05)]
    [InlineData(Connectivity.Full26, 0.1)]
    [InlineData(Connectivity.Full26, 0.2)]
    [InlineData(Connectivity.Full26, 0.5)]
    public void BinaryMaskMatchesBruteForceFloodFill(Connectivity connectivity, double density)
    {
        for (int seed = 0; seed < 4; seed++)
        {
            var g = new ImageGeometry(new Shape3(17 + seed, 13, 11), Vec3.One);
            // Non-zero values vary so that binary mode must ignore them.
            var v = TestVolumes.Random(g, seed * 100 + (int)(density * 100), r => r.NextDouble() < density ? (byte)r.Next(1, 4) : (byte)0);
            var result = ConnectedComponents.Label(v, connectivity, ComponentGrouping.Binary);
            AssertSamePartition(FloodFill(v, connectivity, perValue: false), result, v, perValue: false);
            Assert.Equal(v.Geometry, result.Map.Geometry);
        }
    }

    [Theory]
    [InlineData(Connectivity.Faces6, 0.3)]
    [InlineData(Connectivity.Faces6, 0.8)]
    [InlineData(Connectivity.Full26, 0.3)]
    [InlineData(Connectivity.Full26, 0.8)]
    public void LabelMapMatchesBruteForceFloodFillPerValue(Connectivity connectivity, double density)
    {
        for (int seed = 0; seed < 4; seed++)
        {
            var g = new ImageGeometry(new Shape3(15, 16 + seed, 9), Vec3.One);
            var v = TestVolumes.Random(g, 7 + seed, r => r.NextDouble() < density ? (byte)r.Next(1, 4) : (byte)0);
            var result = ConnectedComponents.Label(v, connectivity, ComponentGrouping.PerValue);
            AssertSamePartition(FloodFill(v, connectivity, perValue: true), result, v, perValue: true);
        }
    }

    [Fact]
    public void CornerContactJoinsOnlyWith26Connectivity()
    {
        var v = new Volume<byte>(new ImageGeometry(new Shape3(3, 3, 3), Vec3.One));
        v[0, 0, 0] = 1;
        v[1, 1, 1] = 1;
        v[2, 2, 1] = 2; // edge contact with (1,1,1), different value
        Assert.Equal(3, ConnectedComponents.Label(v, Connectivity.Faces6, ComponentGrouping.Binary).Count);
        Assert.Equal(1, ConnectedComponents.Label(v, Connectivity.Full26, ComponentGrouping.Binary).Count);
        var perValue = ConnectedComponents.Label(v, Connectivity.Full26, ComponentGrouping.PerValue);
        Assert.Equal(2, perValue.Count);
        Assert.Equal(new ComponentInfo(1, 1, 2, new VoxelBox(0, 2, 0, 2, 0, 2)), perValue.Components[0]);
        Assert.Equal(new ComponentInfo(2, 2, 1, new VoxelBox(2, 3, 2, 3, 1, 2)), perValue.Components[1]);
    }

    [Fact]
    public void BoundingBoxesAndSizesOfAKnownShape()
    {
        var v = new Volume<short>(new ImageGeometry(new Shape3(10, 8, 6), Vec3.One));
        // An L-shaped component of value 5 and a separate bar of value 5.
        for (int i = 1; i < 7; i++) v[i, 2, 1] = 5;
        for (int k = 1; k < 5; k++) v[1, 2, k] = 5;
        for (int j = 0; j < 8; j++) v[9, j, 5] = 5;
        var result = ConnectedComponents.Label(v, Connectivity.Faces6);
        Assert.Equal(2, result.Count);
        Assert.Equal(new ComponentInfo(1, 5, 9, new VoxelBox(1, 7, 2, 3, 1, 5)), result.Components[0]);
        Assert.Equal(new ComponentInfo(2, 5, 8, new VoxelBox(9, 10, 0, 8, 5, 6)), result.Components[1]);
        Assert.True(result.Components[1].TouchesSliceEnds(6));
        Assert.False(result.Components[0].TouchesSliceEnds(6));
    }

    [Fact]
    public void EmptyVolumeHasNoComponents()
    {
        var result = ConnectedComponents.Label(new Volume<byte>(new ImageGeometry(new Shape3(5, 4, 3), Vec3.One)));
        Assert.Equal(0, result.Count);
        Assert.All(result.Map.Data, id => Assert.Equal(0, id));
    }
}
