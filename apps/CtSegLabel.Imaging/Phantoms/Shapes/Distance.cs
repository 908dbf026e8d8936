namespace CtSegLabel.Imaging.Phantoms.Shapes;

/// <summary>Closed-form approximate signed distances of the primitives (mm, negative inside).</summary>
internal static class Distance
{
    /// <summary>Ellipse with semi-axes (rx, ry) at the origin. The gradient-normalised implicit
    /// function k0(k0−1)/k1 is within a few percent of the true distance near the boundary, which
    /// is where it matters (anti-aliasing, cortical shells), and costs no iteration.</summary>
    public static double Ellipse(double x, double y, double rx, double ry)
    {
        double ux = x / rx, uy = y / ry;
        double k0 = Math.Sqrt(ux * ux + uy * uy);
        double vx = ux / rx, vy = uy / ry;
        double k1 = Math.Sqrt(vx * vx + vy * vy);
        return k1 < 1e-12 ? -Math.Min(rx, ry) : k0 * (k0 - 1.0) / k1;
    }

    public static double Ellipsoid(double x, double y, double z, double rx, double ry, double rz)
    {
        double ux = x / rx, uy = y / ry, uz = z / rz;
        double k0 = Math.Sqrt(ux * ux + uy * uy + uz * uz);
        double vx = ux / rx, vy = uy / ry, vz = uz / rz;
        double k1 = Math.Sqrt(vx * vx + vy * vy + vz * vz);
        return k1 < 1e-12 ? -Math.Min(rx, Math.Min(ry, rz)) : k0 * (k0 - 1.0) / k1;
    }

    /// <summary>Distance to a segment from a to b whose radius goes linearly from ra to rb (a
    /// capsule when ra = rb). The radius is taken at the foot of the perpendicular, a good
    /// approximation while the radius changes slowly along the segment.</summary>
    public static double Capsule(double px, double py, double pz,
        double ax, double ay, double az, double bx, double by, double bz, double ra, double rb)
    {
        double abx = bx - ax, aby = by - ay, abz = bz - az;
        double apx = px - ax, apy = py - ay, apz = pz - az;
        double len2 = abx * abx + aby * aby + abz * abz;
        double t = len2 > 0 ? Math.Clamp((apx * abx + apy * aby + apz * abz) / len2, 0.0, 1.0) : 0.0;
        double dx = apx - t * abx, dy = apy - t * aby, dz = apz - t * abz;
        return Math.Sqrt(dx * dx + dy * dy + dz * dz) - (ra + t * (rb - ra));
    }

    /// <summary>Axis-aligned box of half-sizes (hx, hy) with corners rounded by radius r (r ≤ both).</summary>
    public static double RoundedRect(double x, double y, double hx, double hy, double r)
    {
        double qx = Math.Abs(x) - hx + r, qy = Math.Abs(y) - hy + r;
        double ox = Math.Max(qx, 0), oy = Math.Max(qy, 0);
        return Math.Sqrt(ox * ox + oy * oy) + Math.Min(Math.Max(qx, qy), 0) - r;
    }
}
