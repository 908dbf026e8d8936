using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Phantoms.Shapes;

/// <summary>Rotation matrices for orienting organs (angles in radians, right-handed about LPS axes).</summary>
public static class Rotation
{
    public static Mat3 AboutX(double a) => new(1, 0, 0, 0, Math.Cos(a), -Math.Sin(a), 0, Math.Sin(a), Math.Cos(a));

    public static Mat3 AboutZ(double a) => new(Math.Cos(a), -Math.Sin(a), 0, Math.Sin(a), Math.Cos(a), 0, 0, 0, 1);

    /// <summary>An orthonormal frame whose first column points along <paramref name="axis"/>: for an
    /// organ whose long axis is known (the heart's base-to-apex line, a kidney's poles).</summary>
    public static Mat3 AlongAxis(Vec3 axis)
    {
        var u = axis.Normalized();
        var helper = Math.Abs(u.Z) < 0.9 ? new Vec3(0, 0, 1) : new Vec3(0, 1, 0);
        var v = helper.Cross(u).Normalized();
        var w = u.Cross(v);
        return Mat3.FromColumns(u, v, w);
    }
}
