using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Formats.Nifti;

/// <summary>
/// Voxel-to-world mapping of a NIfTI-1 header, converted to and from our LPS <see cref="ImageGeometry"/>.
/// </summary>
/// <remarks>
/// Which transform wins when a file carries both: we follow the NIfTI-1 standard's intent and nibabel —
/// sform when sform_code &gt; 0, else qform when qform_code &gt; 0, else "method 1" (pixdim scaling only,
/// origin 0, axes along RAS). ITK prefers the qform in most cases, so a file whose two transforms
/// disagree can land differently in ITK-based tools; our writer sets both to the same mapping so files
/// we produce mean the same everywhere. With neither code set we keep to the standard's method 1;
/// nibabel departs from it there (an Analyze-style affine, x flipped and centred on the volume), but
/// such files carry no real position anyway.
/// </remarks>
internal static class NiftiGeometry
{
    /// <summary>NIFTI_XFORM_SCANNER_ANAT: the code we write for both transforms.</summary>
    public const short ScannerAnatomical = 1;

    /// <summary>xyzt_units: spatial unit millimetre, no time unit.</summary>
    public const byte UnitsMillimetre = 2;

    public static ImageGeometry FromHeader(NiftiHeader h, Shape3 shape, string path)
    {
        double[,] ras = h.SformCode > 0 ? SformAffine(h, path)
            : h.QformCode > 0 ? QformAffine(h, path)
            : PixdimAffine(h, path);
        return ImageGeometry.FromRasAffine(shape, ras);
    }

    /// <summary>Fills dims' spacing, both transforms and units from a geometry. Both transforms are
    /// written because readers disagree on which to prefer: the sform holds the exact affine
    /// (shear included), the qform the nearest rigid one.</summary>
    public static void ToHeader(ImageGeometry g, NiftiHeader h, string path)
    {
        for (int c = 0; c < 3; c++)
        {
            if (!double.IsFinite(g.Spacing[c]) || g.Spacing[c] <= 0)
                throw new VolumeFormatException(path, $"pixdim[{c + 1}]", $"spacing {g.Spacing[c]} along voxel axis {c} must be a positive number");
            if (!double.IsFinite(g.Origin[c]) || !double.IsFinite(g.Direction.Column(c).Norm))
                throw new VolumeFormatException(path, "srow_x/srow_y/srow_z", "the geometry's origin or direction is not finite");
        }
        var ras = g.ToRasAffine();
        var rasDirection = Mat3.Diagonal(new Vec3(-1, -1, 1)) * g.Direction; // LPS → RAS
        if (Math.Abs(rasDirection.Determinant) < 1e-6)
            throw new VolumeFormatException(path, "srow_x/srow_y/srow_z", "the geometry's direction matrix is singular (two voxel axes point the same way)");

        for (int n = 0; n < 4; n++)
        {
            h.SrowX[n] = (float)ras[0, n];
            h.SrowY[n] = (float)ras[1, n];
            h.SrowZ[n] = (float)ras[2, n];
        }

        var rotation = rasDirection.NearestOrthogonal();
        double qfac = rotation.Determinant < 0 ? -1 : 1;
        if (qfac < 0) rotation *= Mat3.Diagonal(new Vec3(1, 1, -1));
        var q = NiftiQuaternion.FromRotation(rotation);
        h.QuaternB = (float)q.B;
        h.QuaternC = (float)q.C;
        h.QuaternD = (float)q.D;
        h.QoffsetX = (float)ras[0, 3];
        h.QoffsetY = (float)ras[1, 3];
        h.QoffsetZ = (float)ras[2, 3];

        h.Pixdim[0] = (float)qfac;
        h.Pixdim[1] = (float)g.Spacing.X;
        h.Pixdim[2] = (float)g.Spacing.Y;
        h.Pixdim[3] = (float)g.Spacing.Z;
        for (int n = 4; n < 8; n++) h.Pixdim[n] = 1;
        h.QformCode = ScannerAnatomical;
        h.SformCode = ScannerAnatomical;
        h.XyztUnits = UnitsMillimetre;
    }

    private static double[,] SformAffine(NiftiHeader h, string path)
    {
        var a = new double[4, 4];
        float[][] rows = [h.SrowX, h.SrowY, h.SrowZ];
        string[] names = ["srow_x", "srow_y", "srow_z"];
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 4; c++)
            {
                if (!float.IsFinite(rows[r][c]))
                    throw new VolumeFormatException(path, names[r], $"element {c} is {rows[r][c]}; the sform must be finite");
                a[r, c] = rows[r][c];
            }
        a[3, 3] = 1;
        var m = new Mat3(a[0, 0], a[0, 1], a[0, 2], a[1, 0], a[1, 1], a[1, 2], a[2, 0], a[2, 1], a[2, 2]);
        double product = 1;
        for (int c = 0; c < 3; c++)
        {
            double norm = m.Column(c).Norm;
            if (norm == 0)
                throw new VolumeFormatException(path, "srow_x/srow_y/srow_z", $"column {c} is zero: voxel axis {c} has no spacing");
            product *= norm;
        }
        if (Math.Abs(m.Determinant) < 1e-6 * product)
            throw new VolumeFormatException(path, "srow_x/srow_y/srow_z", "the sform is singular (two voxel axes point the same way)");
        return a;
    }

    private static double[,] QformAffine(NiftiHeader h, string path)
    {
        float[] quatern = [h.QuaternB, h.QuaternC, h.QuaternD, h.QoffsetX, h.QoffsetY, h.QoffsetZ];
        if (!Array.TrueForAll(quatern, float.IsFinite))
            throw new VolumeFormatException(path, "quatern_b/c/d, qoffset_x/y/z", "the qform holds a value that is not finite");
        var q = new NiftiQuaternion(h.QuaternB, h.QuaternC, h.QuaternD);
        // A little slack over 1 is float32 rounding of a quaternion with a ≈ 0; more is not a rotation.
        if (q.VectorNormSquared > 1 + 1e-5)
            throw new VolumeFormatException(path, "quatern_b/c/d", $"b² + c² + d² = {q.VectorNormSquared:G6} exceeds 1: not a unit quaternion");
        var spacing = Spacing(h, path);
        double qfac = h.Pixdim[0] < 0 ? -1 : 1; // the standard reads qfac 0 as 1
        var m = q.ToRotation() * Mat3.Diagonal(new Vec3(spacing.X, spacing.Y, qfac * spacing.Z));
        return Affine(m, new Vec3(h.QoffsetX, h.QoffsetY, h.QoffsetZ));
    }

    private static double[,] PixdimAffine(NiftiHeader h, string path) =>
        Affine(Mat3.Diagonal(Spacing(h, path)), Vec3.Zero);

    /// <summary>pixdim[1..3] as spacing. Axes past dim[0] (the slice axis of a 2-D image) are ignored
    /// by the standard, so an unset value there means 1 mm rather than an error.</summary>
    private static Vec3 Spacing(NiftiHeader h, string path)
    {
        var s = new double[3];
        for (int c = 0; c < 3; c++)
        {
            double v = h.Pixdim[c + 1];
            bool valid = double.IsFinite(v) && v > 0;
            if (!valid && c + 1 > h.Dim[0]) v = 1;
            else if (!valid)
                throw new VolumeFormatException(path, $"pixdim[{c + 1}]", $"spacing is {v}; it must be a positive number");
            s[c] = v;
        }
        return new Vec3(s[0], s[1], s[2]);
    }

    private static double[,] Affine(Mat3 m, Vec3 offset)
    {
        var a = new double[4, 4];
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 3; c++) a[r, c] = m[r, c];
            a[r, 3] = offset[r];
        }
        a[3, 3] = 1;
        return a;
    }
}
