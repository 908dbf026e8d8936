using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Phantoms.Shapes;

/// <summary>An ellipsoid with semi-axes <paramref name="Radii"/> along the columns of
/// <paramref name="Orientation"/> (its local axes in world coordinates).</summary>
public sealed class Ellipsoid : Shape
{
    private readonly Vec3 _centre, _radii;
    private readonly Mat3 _toLocal;
    private readonly bool _axisAligned;

    public Ellipsoid(Vec3 centre, Vec3 radii) : this(centre, radii, Mat3.Identity) { }

    public Ellipsoid(Vec3 centre, Vec3 radii, Mat3 orientation)
    {
        _centre = centre;
        _radii = radii;
        _toLocal = orientation.Transpose();
        _axisAligned = orientation.MaxAbsDifference(Mat3.Identity) < 1e-12;
        // Half-extent along world axis i of a rotated ellipsoid: sqrt(Σ_j (R_ij r_j)²).
        var half = new double[3];
        for (int i = 0; i < 3; i++)
        {
            double s = 0;
            for (int j = 0; j < 3; j++) s += Math.Pow(orientation[i, j] * radii[j], 2);
            half[i] = Math.Sqrt(s);
        }
        Bounds = Box3.Around(centre, new Vec3(half[0], half[1], half[2]));
    }

    public override Box3 Bounds { get; }

    public override Section? At(double z)
    {
        if (!Bounds.ContainsZ(z)) return null;
        var box = Bounds.XY;
        if (_axisAligned)
        {
            double t = (z - _centre.Z) / _radii.Z;
            double f = Math.Sqrt(Math.Max(0, 1 - t * t));
            box = Box2.Around(_centre.X, _centre.Y, _radii.X * f, _radii.Y * f);
        }
        return new EllipsoidSection(this, z, box);
    }

    private sealed class EllipsoidSection(Ellipsoid e, double z, Box2 bounds) : Section
    {
        private readonly double _dz = z - e._centre.Z;

        public override Box2 Bounds => bounds;

        public override double Distance(double x, double y)
        {
            double dx = x - e._centre.X, dy = y - e._centre.Y;
            var m = e._toLocal;
            double lx = m.M00 * dx + m.M01 * dy + m.M02 * _dz;
            double ly = m.M10 * dx + m.M11 * dy + m.M12 * _dz;
            double lz = m.M20 * dx + m.M21 * dy + m.M22 * _dz;
            return Shapes.Distance.Ellipsoid(lx, ly, lz, e._radii.X, e._radii.Y, e._radii.Z);
        }
    }
}
