using CtSegLabel.Imaging.Phantoms.Shapes;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Phantoms;

/// <summary>
/// Paints structures into a CT volume and its label map, one axial slice at a time. Each slice
/// asks every structure for its cross-section at that height and evaluates it only inside the
/// section's rectangle, so a 512×512×300 phantom costs seconds. Slices are independent (the noise
/// of slice k comes from its own seeded stream), so the result is the same however many threads
/// run and in whatever order.
/// </summary>
public static class PhantomRasterizer
{
    /// <summary>Values CT scanners store: −1024 is the usual floor, 3071 the 12-bit ceiling.</summary>
    public const short MinHu = -1024, MaxHu = 3071;

    public const float AirHu = -1000f;


    public static (Volume<short> Ct, Volume<byte> Labels) Render(ImageGeometry geometry, IReadOnlyList<Structure> structures,
        double noiseSigma, ulong noiseSeed)
    {
        var d = geometry.Direction;
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++)
                if (Math.Abs(Math.Abs(d[r, c]) - (r == c ? 1 : 0)) > 1e-12)
                    throw new ArgumentException($"phantoms are rasterised on axis-aligned grids; got direction with orientation {geometry.OrientationCode}", nameof(geometry));

        // OrderBy is stable: within a layer, structures keep the order they were created in.
        var ordered = structures.OrderBy(s => s.Layer).ToArray();
        var ct = new Volume<short>(geometry);
        var labels = new Volume<byte>(geometry);
        var shape = geometry.Shape;
        var axes = new Grid(geometry);
        Parallel.For(0, shape.Z,
            () => new float[shape.X * shape.Y * 2],
            (k, _, buffer) =>
            {
                RenderSlice(axes, ordered, k, buffer, ct.Slice(k), labels.Slice(k), noiseSigma, noiseSeed);
                return buffer;
            },
            _ => { });
        return (ct, labels);
    }

    private static void RenderSlice(Grid grid, Structure[] structures, int k, float[] buffer, Span<short> ctOut, Span<byte> labOut,
        double noiseSigma, ulong noiseSeed)
    {
        int nx = grid.NX, ny = grid.NY, n = nx * ny;
        var hu = buffer.AsSpan(0, n);
        hu.Fill(AirHu);
        labOut.Clear();
        double z = grid.Z(k);
        double pixel = grid.Pixel;
        foreach (var s in structures)
        {
            if (s.Shape.At(z) is not { } section) continue;
            var box = section.Bounds.Inflate(pixel);
            var (i0, i1) = grid.RangeX(box.MinX, box.MaxX);
            var (j0, j1) = grid.RangeY(box.MinY, box.MaxY);
            if (i0 > i1 || j0 > j1) continue;
            PaintSection(grid, section, s, i0, i1, j0, j1, hu, labOut);
        }
        CtNoise.Add(hu, buffer.AsSpan(n, n), nx, ny, noiseSigma, PhantomRandom.Derive(noiseSeed, (ulong)k));
        for (int idx = 0; idx < n; idx++)
            ctOut[idx] = (short)Math.Clamp(MathF.Round(hu[idx]), MinHu, MaxHu);
    }

    /// <summary>
    /// Paints one cross-section into the slice. The rectangle is visited in blocks of 16² pixels,
    /// undecided blocks in sub-blocks of 4²: the distance at a block's centre bounds the distance
    /// anywhere in it (the functions change by at most about 1 mm per mm; a factor 2 covers the
    /// approximations), so a block far outside is skipped and a block deep inside is filled
    /// without evaluating each pixel. Only pixels near the surface are evaluated one by one: the
    /// cost follows a structure's outline, not its area.
    /// </summary>
    private static void PaintSection(Grid grid, Section section, Structure s, int i0, int i1, int j0, int j1, Span<float> hu, Span<byte> labOut)
    {
        var paint = new Painter(grid, section, s);
        for (int bj = j0; bj <= j1; bj += 16)
            for (int bi = i0; bi <= i1; bi += 16)
            {
                int bi1 = Math.Min(i1, bi + 15), bj1 = Math.Min(j1, bj + 15);
                if (paint.Decide(bi, bi1, bj, bj1, hu, labOut)) continue;
                for (int sj = bj; sj <= bj1; sj += 4)
                    for (int si = bi; si <= bi1; si += 4)
                    {
                        int si1 = Math.Min(bi1, si + 3), sj1 = Math.Min(bj1, sj + 3);
                        if (!paint.Decide(si, si1, sj, sj1, hu, labOut)) paint.EachPixel(si, si1, sj, sj1, hu, labOut);
                    }
            }
    }

    private readonly ref struct Painter(Grid grid, Section section, Structure s)
    {
        private readonly double _pixel = grid.Pixel;
        private readonly double _fillDepth = Math.Max(0.5 * grid.Pixel, s.Tissue.CortexMm);

        /// <summary>Skips or fills a whole block when its centre's distance settles it; false when
        /// the surface may pass through.</summary>
        public bool Decide(int i0, int i1, int j0, int j1, Span<float> hu, Span<byte> labOut)
        {
            double cx = 0.5 * (grid.X(i0) + grid.X(i1)), cy = 0.5 * (grid.Y(j0) + grid.Y(j1));
            double hx = 0.5 * Math.Abs(grid.X(i1) - grid.X(i0)), hy = 0.5 * Math.Abs(grid.Y(j1) - grid.Y(j0));
            double reach = 2 * Math.Sqrt(hx * hx + hy * hy);
            double dc = section.Distance(cx, cy);
            if (dc > reach + 0.5 * _pixel) return true;
            if (dc >= -(reach + _fillDepth)) return false;
            int nx = grid.NX;
            for (int j = j0; j <= j1; j++)
            {
                hu.Slice(j * nx + i0, i1 - i0 + 1).Fill(s.Tissue.Hu);
                if (s.Label is { } label) labOut.Slice(j * nx + i0, i1 - i0 + 1).Fill(label);
            }
            return true;
        }

        public void EachPixel(int i0, int i1, int j0, int j1, Span<float> hu, Span<byte> labOut)
        {
            int nx = grid.NX;
            var tissue = s.Tissue;
            bool setLabel = s.Label.HasValue;
            byte label = s.Label.GetValueOrDefault();
            for (int j = j0; j <= j1; j++)
            {
                double y = grid.Y(j);
                int row = j * nx;
                for (int i = i0; i <= i1; i++)
                {
                    double dist = section.Distance(grid.X(i), y);
                    if (dist >= 0.5 * _pixel) continue;
                    float target = tissue.At(dist);
                    int idx = row + i;
                    // Anti-aliasing: within half a pixel of the surface a voxel takes the
                    // proportional mix of both sides, as a scanner's finite resolution does;
                    // labels stay crisp (a voxel is inside when its centre is).
                    if (dist <= -0.5 * _pixel) hu[idx] = target;
                    else hu[idx] += (target - hu[idx]) * (float)(0.5 - dist / _pixel);
                    if (setLabel && dist < 0) labOut[idx] = label;
                }
            }
        }
    }

    /// <summary>World coordinates of voxel centres along the axes of an axis-aligned grid.</summary>
    private sealed class Grid
    {
        private readonly double[] _x, _y;
        private readonly double _ox, _oy, _stepX, _stepY, _oz, _stepZ;

        public Grid(ImageGeometry g)
        {
            NX = g.Shape.X;
            NY = g.Shape.Y;
            (_ox, _oy, _oz) = (g.Origin.X, g.Origin.Y, g.Origin.Z);
            _stepX = g.Direction[0, 0] * g.Spacing.X;
            _stepY = g.Direction[1, 1] * g.Spacing.Y;
            _stepZ = g.Direction[2, 2] * g.Spacing.Z;
            _x = new double[NX];
            _y = new double[NY];
            for (int i = 0; i < NX; i++) _x[i] = _ox + _stepX * i;
            for (int j = 0; j < NY; j++) _y[j] = _oy + _stepY * j;
            Pixel = Math.Min(g.Spacing.X, g.Spacing.Y);
        }

        public int NX { get; }
        public int NY { get; }
        public double Pixel { get; }

        public double X(int i) => _x[i];
        public double Y(int j) => _y[j];
        public double Z(int k) => _oz + _stepZ * k;

        public (int, int) RangeX(double lo, double hi) => Range(lo, hi, _ox, _stepX, NX);
        public (int, int) RangeY(double lo, double hi) => Range(lo, hi, _oy, _stepY, NY);

        private static (int, int) Range(double lo, double hi, double origin, double step, int count)
        {
            double a = (lo - origin) / step, b = (hi - origin) / step;
            if (a > b) (a, b) = (b, a);
            if (double.IsNaN(a) || b < 0 || a > count - 1) return (0, -1);
            return ((int)Math.Max(0, Math.Ceiling(a)), (int)Math.Min(count - 1, Math.Floor(b)));
        }
    }
}
