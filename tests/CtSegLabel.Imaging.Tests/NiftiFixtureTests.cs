using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;
using static CtSegLabel.Imaging.Tests.NiftiTestFiles;

namespace CtSegLabel.Imaging.Tests;

/// <summary>Files written by nibabel (tests/fixtures/nifti/make_fixtures.py); every expected affine
/// below is what nibabel itself reports for the file (the script prints them).</summary>
public class NiftiFixtureTests
{
    [Fact]
    public void BigEndianFileReadsWithSwappedVoxels()
    {
        var v = Assert.IsType<Volume<short>>(NiftiFile.Read(Fixture("big_endian_int16.nii")));
        AssertPattern(v, -50);
        AssertRasAffine(v.Geometry, new double[,] { { 0.5, 0, 0, 10 }, { 0, 0.75, 0, -20 }, { 0, 0, 2, 30 } });
    }

    [Fact]
    public void QformOnlyFileUsesQuaternionAndQfac()
    {
        var v = Assert.IsType<Volume<byte>>(NiftiFile.Read(Fixture("qform_only.nii")));
        AssertPattern(v, 0);
        AssertRasAffine(v.Geometry, new double[,]
        {
            { 1.299038096739, -0.984807774231, -0.217060220239, -12.5 },
            { 0.75000001548, 1.705737053688, 0.375959319601, 40.25 },
            { 0.000000000058, 0.347296345347, -2.462019384732, 7.75 },
        }, 1e-6);
        Assert.True(v.Geometry.Direction.Determinant < 0, "qfac −1 flips the third axis: a reflection, in RAS and in LPS alike");
    }

    [Fact]
    public void SformOnlyFileKeepsItsShear()
    {
        var v = Assert.IsType<Volume<int>>(NiftiFile.Read(Fixture("sform_only.nii")));
        AssertPattern(v, 1000);
        AssertRasAffine(v.Geometry, new double[,]
        {
            { 1.200000048, 0.300000012, 0, 100.5 },
            { 0, 0.899999976, 0.200000003, -60.25 },
            { 0.100000001, 0, 3, -33 },
        }, 1e-8);
    }

    [Fact]
    public void SformWinsWhenBothTransformsArePresent()
    {
        var v = NiftiFile.Read(Fixture("sform_and_qform_disagree.nii"));
        AssertRasAffine(v.Geometry, new double[,] { { -1, 0, 0, 5 }, { 0, -1, 0, 6 }, { 0, 0, 1, 7 } });
    }

    [Fact]
    public void Uint16WithInterMinus1024BecomesInt16Hounsfield()
    {
        var v = Assert.IsType<Volume<short>>(NiftiFile.Read(Fixture("scaled_uint16_hu.nii")));
        AssertPattern(v, -1024);
        Assert.Equal((-1024.0, -901.0), v.ValueRange());
    }

    [Fact]
    public void IntegerScalingPastInt16BecomesInt32()
    {
        var v = Assert.IsType<Volume<int>>(NiftiFile.Read(Fixture("scaled_uint16_int32.nii")));
        for (int k = 0; k < 2; k++)
            for (int j = 0; j < 3; j++)
                for (int i = 0; i < 4; i++)
                    Assert.Equal(Pattern(i, j, k, 20000) * 3 + 5, v[i, j, k]);
        Assert.Equal((60005.0, 60374.0), v.ValueRange());
    }

    [Fact]
    public void FractionalScalingBecomesFloat32()
    {
        var v = Assert.IsType<Volume<float>>(NiftiFile.Read(Fixture("scaled_int16_float.nii")));
        for (int k = 0; k < 2; k++)
            for (int j = 0; j < 3; j++)
                for (int i = 0; i < 4; i++)
                    Assert.Equal(Pattern(i, j, k, -100) * 0.5 + 10.25, v[i, j, k]);
        Assert.Equal((-39.75, 21.75), v.ValueRange());
    }

    [Fact]
    public void FourDimensionalFileWithOneTimePointReadsAsThreeD()
    {
        var v = Assert.IsType<Volume<short>>(NiftiFile.Read(Fixture("four_d_one_timepoint.nii.gz")));
        Assert.Equal(new Shape3(4, 3, 2), v.Shape);
        AssertPattern(v, 7);
    }

    [Fact]
    public void Float64KeepsDoublePrecision()
    {
        var v = Assert.IsType<Volume<double>>(NiftiFile.Read(Fixture("float64.nii")));
        Assert.Equal(1e300, v[0, 0, 0]);
        Assert.Equal(-Math.PI, v[1, 0, 0]);
        Assert.Equal(Pattern(3, 2, 1, 0) + 1.0 / 3, v[3, 2, 1]);
        Assert.Equal(new Vec3(2, 2, 2), v.Geometry.Spacing);
    }

    [Fact]
    public void HeaderExtensionIsSkippedViaVoxOffset()
    {
        var raw = File.ReadAllBytes(Fixture("with_extension.nii"));
        Assert.Equal(416f, GetSingle(raw, Offset.VoxOffset));
        var v = Assert.IsType<Volume<byte>>(NiftiFile.Read(Fixture("with_extension.nii")));
        AssertPattern(v, 3);
    }

    [Fact]
    public void TwoDimensionalFileIsOneSlice()
    {
        var v = Assert.IsType<Volume<short>>(NiftiFile.Read(Fixture("two_d.nii")));
        Assert.Equal(new Shape3(4, 3, 1), v.Shape);
        AssertPattern(v, 0);
        Assert.Equal(new Vec3(0.5, 0.5, 1), v.Geometry.Spacing);
    }

    /// <summary>nibabel-equivalence of what we write: the same image written by nibabel (sform and qform
    /// code 1, mm units) and by us must agree field by field, and our qform must mean what nibabel's
    /// qform means (the affine nibabel printed for its qform is hard-coded).</summary>
    [Fact]
    public void OurHeaderMatchesNibabelsForTheSameImage()
    {
        using var dir = new TestDir();
        string reference = Fixture("nibabel_written_oblique.nii");
        var fromNibabel = NiftiFile.Read(reference);
        string ours = dir.File("ours.nii");
        NiftiFile.Write(ours, fromNibabel);

        var n = File.ReadAllBytes(reference);
        var o = File.ReadAllBytes(ours);
        Assert.Equal(n.Length, o.Length);
        Assert.Equal(n[..Offset.Pixdim], o[..Offset.Pixdim]); // sizeof_hdr, dims, datatype, bitpix
        for (int p = 0; p < 8; p++)
            Assert.Equal(GetSingle(n, Offset.Pixdim + 4 * p), GetSingle(o, Offset.Pixdim + 4 * p), 6);
        foreach (int off in new[] { Offset.VoxOffset, Offset.SclSlope, Offset.SclInter })
            Assert.Equal(GetSingle(n, off), GetSingle(o, off));
        Assert.Equal(n[Offset.XyztUnits], o[Offset.XyztUnits]);
        Assert.Equal(n[Offset.QformCode..Offset.QuaternB], o[Offset.QformCode..Offset.QuaternB]);
        for (int f = 0; f < 3; f++) // quatern_b/c/d
            Assert.Equal(GetSingle(n, Offset.QuaternB + 4 * f), GetSingle(o, Offset.QuaternB + 4 * f), 6);
        for (int f = 0; f < 3 + 12; f++) // qoffset, then srow_x/y/z
            Assert.Equal(GetSingle(n, Offset.Qoffset + 4 * f), GetSingle(o, Offset.Qoffset + 4 * f), 5);
        Assert.Equal(n[Offset.Magic..], o[Offset.Magic..]); // magic, extension flag, voxels

        PutInt16(o, Offset.SformCode, 0);
        File.WriteAllBytes(ours, o);
        AssertRasAffine(NiftiFile.Read(ours).Geometry, new double[,]
        {
            { 0.751754109426, 0.224133200302, -0.490436725644, -120.25 },
            { -0.273616114354, 0.615800925506, -1.347463820118, 33.5 },
            { 0.000000004504, 0.458861142114, 2.047880140929, -402.75 },
        }, 1e-6);
    }

    private static void AssertPattern<T>(Volume<T> v, double baseValue) where T : unmanaged, System.Numerics.INumber<T>
    {
        for (int k = 0; k < v.Shape.Z; k++)
            for (int j = 0; j < v.Shape.Y; j++)
                for (int i = 0; i < v.Shape.X; i++)
                    Assert.Equal(Pattern(i, j, k, baseValue), double.CreateTruncating(v[i, j, k]));
    }

    internal static void AssertRasAffine(ImageGeometry g, double[,] expected, double tol = 1e-9)
    {
        var a = g.ToRasAffine();
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 4; c++)
                Assert.True(Math.Abs(a[r, c] - expected[r, c]) <= tol, $"affine[{r},{c}] = {a[r, c]:R}, nibabel says {expected[r, c]:R}");
    }
}
