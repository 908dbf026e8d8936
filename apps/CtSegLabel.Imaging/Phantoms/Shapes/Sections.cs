namespace CtSegLabel.Imaging.Phantoms.Shapes;

/// <summary>An ellipse whose half-depth differs in front of and behind its centre (an egg): a
/// trunk is flatter at the back than at the front. Anterior is −y in LPS.</summary>
public sealed class EggSection(double cx, double cy, double a, double bAnt, double bPost) : Section
{
    public override Box2 Bounds { get; } = new(cx - a, cy - bAnt, cx + a, cy + bPost);

    public override double Distance(double x, double y)
    {
        double dy = y - cy;
        return Shapes.Distance.Ellipse(x - cx, dy, a, dy < 0 ? bAnt : bPost);
    }
}

/// <summary>An ellipse rotated by <paramref name="angle"/> (radians, from +x toward +y).</summary>
public sealed class EllipseSection(double cx, double cy, double rx, double ry, double angle = 0) : Section
{
    private readonly double _c = Math.Cos(angle), _s = Math.Sin(angle);

    public override Box2 Bounds { get; } = Box2.Around(cx, cy,
        Math.Sqrt(Math.Pow(rx * Math.Cos(angle), 2) + Math.Pow(ry * Math.Sin(angle), 2)),
        Math.Sqrt(Math.Pow(rx * Math.Sin(angle), 2) + Math.Pow(ry * Math.Cos(angle), 2)));

    public override double Distance(double x, double y)
    {
        double dx = x - cx, dy = y - cy;
        return Shapes.Distance.Ellipse(_c * dx + _s * dy, -_s * dx + _c * dy, rx, ry);
    }
}

/// <summary>An axis-aligned rectangle with rounded corners.</summary>
public sealed class RoundedRectSection(double cx, double cy, double hx, double hy, double radius) : Section
{
    private readonly double _r = Math.Min(radius, Math.Min(hx, hy));

    public override Box2 Bounds { get; } = Box2.Around(cx, cy, hx, hy);

    public override double Distance(double x, double y) => Shapes.Distance.RoundedRect(x - cx, y - cy, hx, hy, _r);
}

/// <summary>
/// A band of the given thickness along part of an ellipse, between the polar angles
/// <paramref name="from"/> and <paramref name="to"/> (radians, measured in the ellipse's own
/// normalised frame from +x toward +y, from &lt; to), with rounded ends: an iliac wing or a
/// scapula in one axial slice.
/// </summary>
public sealed class ArcBandSection : Section
{
    private readonly double _cx, _cy, _a, _b, _half, _from, _to;
    private readonly double _x0, _y0, _x1, _y1;

    public ArcBandSection(double cx, double cy, double a, double b, double thickness, double from, double to)
    {
        (_cx, _cy, _a, _b, _half, _from, _to) = (cx, cy, a, b, thickness / 2, from, to);
        (_x0, _y0) = (cx + a * Math.Cos(from), cy + b * Math.Sin(from));
        (_x1, _y1) = (cx + a * Math.Cos(to), cy + b * Math.Sin(to));
        var box = Box2.Empty;
        for (int n = 0; n <= 32; n++)
        {
            double t = from + (to - from) * n / 32;
            double px = cx + a * Math.Cos(t), py = cy + b * Math.Sin(t);
            box = box.Union(new Box2(px, py, px, py));
        }
        Bounds = box.Inflate(_half);
    }

    public override Box2 Bounds { get; }

    public override double Distance(double x, double y)
    {
        double dx = x - _cx, dy = y - _cy;
        double theta = Math.Atan2(dy / _b, dx / _a);
        // Bring the angle into [from, from + 2π) so an arc crossing ±π still compares correctly.
        while (theta < _from) theta += 2 * Math.PI;
        while (theta >= _from + 2 * Math.PI) theta -= 2 * Math.PI;
        if (theta <= _to) return Math.Abs(Shapes.Distance.Ellipse(dx, dy, _a, _b)) - _half;
        double e0 = Math.Sqrt((x - _x0) * (x - _x0) + (y - _y0) * (y - _y0));
        double e1 = Math.Sqrt((x - _x1) * (x - _x1) + (y - _y1) * (y - _y1));
        return Math.Min(e0, e1) - _half;
    }
}

/// <summary>A cross-section given by a distance function: for the few one-off anatomical cuts
/// (a diaphragm dome, a midline plane) that are not worth a class of their own.</summary>
public sealed class FuncSection(Box2 bounds, Func<double, double, double> distance) : Section
{
    public override Box2 Bounds => bounds;

    public override double Distance(double x, double y) => distance(x, y);
}
