namespace CtSegLabel.Imaging.Volumes;

/// <summary>A 3×3 matrix of doubles, row-major (M[r, c]). Used for voxel-axis directions:
/// column c is the world direction of voxel axis c.</summary>
public readonly record struct Mat3(
    double M00, double M01, double M02,
    double M10, double M11, double M12,
    double M20, double M21, double M22)
{
    public static readonly Mat3 Identity = new(1, 0, 0, 0, 1, 0, 0, 0, 1);

    public static Mat3 FromColumns(Vec3 c0, Vec3 c1, Vec3 c2) =>
        new(c0.X, c1.X, c2.X, c0.Y, c1.Y, c2.Y, c0.Z, c1.Z, c2.Z);

    public static Mat3 Diagonal(Vec3 d) => new(d.X, 0, 0, 0, d.Y, 0, 0, 0, d.Z);

    public double this[int r, int c] => (r * 3 + c) switch
    {
        0 => M00, 1 => M01, 2 => M02,
        3 => M10, 4 => M11, 5 => M12,
        6 => M20, 7 => M21, 8 => M22,
        _ => throw new ArgumentOutOfRangeException(nameof(r)),
    };

    public Vec3 Column(int c) => new(this[0, c], this[1, c], this[2, c]);
    public Vec3 Row(int r) => new(this[r, 0], this[r, 1], this[r, 2]);

    public static Vec3 operator *(Mat3 m, Vec3 v) => new(m.Row(0).Dot(v), m.Row(1).Dot(v), m.Row(2).Dot(v));

    public static Mat3 operator *(Mat3 a, Mat3 b) => FromColumns(a * b.Column(0), a * b.Column(1), a * b.Column(2));

    public Mat3 Transpose() => new(M00, M10, M20, M01, M11, M21, M02, M12, M22);

    public double Determinant =>
        M00 * (M11 * M22 - M12 * M21) - M01 * (M10 * M22 - M12 * M20) + M02 * (M10 * M21 - M11 * M20);

    public Mat3 Inverse()
    {
        double det = Determinant;
        if (Math.Abs(det) < 1e-300) throw new InvalidOperationException("matrix is singular");
        double k = 1.0 / det;
        return new Mat3(
            (M11 * M22 - M12 * M21) * k, (M02 * M21 - M01 * M22) * k, (M01 * M12 - M02 * M11) * k,
            (M12 * M20 - M10 * M22) * k, (M00 * M22 - M02 * M20) * k, (M02 * M10 - M00 * M12) * k,
            (M10 * M21 - M11 * M20) * k, (M01 * M20 - M00 * M21) * k, (M00 * M11 - M01 * M10) * k);
    }

    /// <summary>The nearest rotation-or-reflection (orthogonal) matrix, by the polar iteration
    /// Q ← (Q + Q⁻ᵀ)/2. NIfTI's qform can only hold an orthogonal matrix; a sheared sform keeps
    /// the exact one.</summary>
    public Mat3 NearestOrthogonal()
    {
        var q = this;
        for (int it = 0; it < 100; it++)
        {
            var inv = q.Inverse().Transpose();
            var next = new Mat3(
                (q.M00 + inv.M00) / 2, (q.M01 + inv.M01) / 2, (q.M02 + inv.M02) / 2,
                (q.M10 + inv.M10) / 2, (q.M11 + inv.M11) / 2, (q.M12 + inv.M12) / 2,
                (q.M20 + inv.M20) / 2, (q.M21 + inv.M21) / 2, (q.M22 + inv.M22) / 2);
            double change = 0;
            for (int r = 0; r < 3; r++)
                for (int c = 0; c < 3; c++)
                    change = Math.Max(change, Math.Abs(next[r, c] - q[r, c]));
            q = next;
            if (change < 1e-15) break;
        }
        return q;
    }

    public double MaxAbsDifference(Mat3 other)
    {
        double d = 0;
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++)
                d = Math.Max(d, Math.Abs(this[r, c] - other[r, c]));
        return d;
    }
}
