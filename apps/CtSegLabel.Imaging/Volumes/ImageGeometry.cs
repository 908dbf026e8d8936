namespace CtSegLabel.Imaging.Volumes;

/// <summary>
/// Where every voxel of a volume lies in the patient. This is the one place that fixes the
/// conventions (see docs/imaging.md):
/// <list type="bullet">
/// <item>Voxel axes (i, j, k) with shape (X, Y, Z); memory order i fastest, k slowest — the order
/// NIfTI and NRRD store on disk, and a TorchSharp tensor of shape [Z, Y, X] over the same buffer.
/// k is the slice axis.</item>
/// <item>World coordinates are patient LPS in millimetres (x toward the patient's left, y toward
/// posterior, z toward superior), as in DICOM and ITK. NIfTI (RAS) and NRRD "space" are converted
/// on read and write.</item>
/// <item>world = Origin + Direction · (Spacing ⊙ (i, j, k)); Origin is the centre of voxel (0,0,0);
/// column c of Direction is the unit world direction of voxel axis c.</item>
/// </list>
/// </summary>
public sealed record ImageGeometry(Shape3 Shape, Vec3 Spacing, Vec3 Origin, Mat3 Direction)
{
    /// <summary>Axis-aligned LPS geometry: the identity direction.</summary>
    public ImageGeometry(Shape3 shape, Vec3 spacing) : this(shape, spacing, Vec3.Zero, Mat3.Identity) { }

    /// <summary>The 3×3 linear part: Direction · diag(Spacing). Column c is the world step of voxel axis c.</summary>
    public Mat3 IndexToWorldMatrix => Direction * Mat3.Diagonal(Spacing);

    public Vec3 IndexToWorld(double i, double j, double k) => Origin + IndexToWorldMatrix * new Vec3(i, j, k);

    public Vec3 IndexToWorld(Vec3 index) => IndexToWorld(index.X, index.Y, index.Z);

    public Vec3 WorldToIndex(Vec3 world) => IndexToWorldMatrix.Inverse() * (world - Origin);

    /// <summary>The eight corner voxel centres in world coordinates (the geometry tests compare these).</summary>
    public IEnumerable<Vec3> CornerCentres()
    {
        foreach (int k in new[] { 0, Shape.Z - 1 })
            foreach (int j in new[] { 0, Shape.Y - 1 })
                foreach (int i in new[] { 0, Shape.X - 1 })
                    yield return IndexToWorld(i, j, k);
    }

    /// <summary>The 4×4 NIfTI-style affine mapping (i, j, k, 1) to RAS millimetres.</summary>
    public double[,] ToRasAffine()
    {
        var m = IndexToWorldMatrix;
        var a = new double[4, 4];
        for (int r = 0; r < 3; r++)
        {
            double flip = r < 2 ? -1 : 1; // LPS → RAS negates x and y
            for (int c = 0; c < 3; c++) a[r, c] = flip * m[r, c];
            a[r, 3] = flip * Origin[r];
        }
        a[3, 3] = 1;
        return a;
    }

    /// <summary>Builds a geometry from a RAS affine (first three rows used). Spacing is the column
    /// norm; a zero column is reported as a zero spacing so the caller can name the field.</summary>
    public static ImageGeometry FromRasAffine(Shape3 shape, double[,] rasAffine)
    {
        var cols = new Vec3[3];
        var spacing = new double[3];
        for (int c = 0; c < 3; c++)
        {
            var col = new Vec3(-rasAffine[0, c], -rasAffine[1, c], rasAffine[2, c]);
            spacing[c] = col.Norm;
            cols[c] = spacing[c] > 0 ? col * (1.0 / spacing[c]) : col;
        }
        var origin = new Vec3(-rasAffine[0, 3], -rasAffine[1, 3], rasAffine[2, 3]);
        return new ImageGeometry(shape, new Vec3(spacing[0], spacing[1], spacing[2]), origin,
            Mat3.FromColumns(cols[0], cols[1], cols[2]));
    }

    /// <summary>Orientation code in nibabel's convention: for each voxel axis, the anatomical direction
    /// it increases toward (the largest component of its direction). "LPS" is ITK's identity, "RAS"
    /// NIfTI's.</summary>
    public string OrientationCode
    {
        get
        {
            Span<char> code = stackalloc char[3];
            for (int c = 0; c < 3; c++)
            {
                var d = Direction.Column(c);
                int axis = Math.Abs(d.X) >= Math.Abs(d.Y) && Math.Abs(d.X) >= Math.Abs(d.Z) ? 0
                    : Math.Abs(d.Y) >= Math.Abs(d.Z) ? 1 : 2;
                bool positive = d[axis] >= 0;
                code[c] = axis switch
                {
                    0 => positive ? 'L' : 'R',
                    1 => positive ? 'P' : 'A',
                    _ => positive ? 'S' : 'I',
                };
            }
            return new string(code);
        }
    }

    /// <summary>True when both geometries put every voxel at the same world position (within tol mm).</summary>
    public bool SameGrid(ImageGeometry other, double tolMm = 1e-4) =>
        Shape == other.Shape && CornerCentres().Zip(other.CornerCentres()).All(p => (p.First - p.Second).MaxAbs <= tolMm);

    public override string ToString() =>
        $"shape {Shape}, spacing {Spacing}, origin {Origin}, orientation {OrientationCode}";
}
