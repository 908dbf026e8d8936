using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Phantoms.Shapes;

/// <summary>
/// A tube along a polyline whose radius varies linearly between vertices: ribs, vessels, long
/// bones, the mandible. A curve is given as many short segments; each slice keeps only the
/// segments that reach it, so a long curved tube costs little per slice.
/// </summary>
public sealed class Tube : Shape
{
    private readonly Vec3[] _points;
    private readonly double[] _radii;

    public Tube(IReadOnlyList<Vec3> points, IReadOnlyList<double> radii)
    {
        if (points.Count < 2 || radii.Count != points.Count)
            throw new ArgumentException("a tube needs at least two points and one radius per point");
        _points = [.. points];
        _radii = [.. radii];
        var box = Box3.Empty;
        for (int n = 0; n < _points.Length; n++) box = box.Union(Box3.Around(_points[n], new Vec3(_radii[n], _radii[n], _radii[n])));
        Bounds = box;
    }

    public Tube(IReadOnlyList<Vec3> points, double radius) : this(points, Enumerable.Repeat(radius, points.Count).ToArray()) { }

    public override Box3 Bounds { get; }

    public override Section? At(double z)
    {
        if (!Bounds.ContainsZ(z)) return null;
        List<int>? segments = null;
        var box = Box2.Empty;
        for (int n = 0; n + 1 < _points.Length; n++)
        {
            var a = _points[n];
            var b = _points[n + 1];
            double r = Math.Max(_radii[n], _radii[n + 1]);
            if (z < Math.Min(a.Z, b.Z) - r || z > Math.Max(a.Z, b.Z) + r) continue;
            (segments ??= []).Add(n);
            box = box.Union(new Box2(Math.Min(a.X, b.X) - r, Math.Min(a.Y, b.Y) - r, Math.Max(a.X, b.X) + r, Math.Max(a.Y, b.Y) + r));
        }
        return segments is null ? null : new TubeSection(this, [.. segments], z, box);
    }

    private sealed class TubeSection(Tube tube, int[] segments, double z, Box2 bounds) : Section
    {
        public override Box2 Bounds => bounds;

        public override double Distance(double x, double y)
        {
            double best = double.PositiveInfinity;
            var p = tube._points;
            var r = tube._radii;
            foreach (int n in segments)
            {
                var a = p[n];
                var b = p[n + 1];
                double d = Shapes.Distance.Capsule(x, y, z, a.X, a.Y, a.Z, b.X, b.Y, b.Z, r[n], r[n + 1]);
                if (d < best) best = d;
            }
            return best;
        }
    }
}
