using System.Numerics;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;
using static CtSegLabel.Imaging.Tests.NiftiTestFiles;

namespace CtSegLabel.Imaging.Tests;

public class NiftiRoundTripTests
{
    private static readonly ImageGeometry SmallGrid = new(new Shape3(7, 5, 3), new Vec3(0.7, 0.8, 2.5), new Vec3(-10.5, 20.25, 30), Mat3.Identity);

    public static TheoryData<VoxelType, string> TypesAndExtensions()
    {
        var data = new TheoryData<VoxelType, string>();
        foreach (var t in Enum.GetValues<VoxelType>())
            foreach (var ext in new[] { ".nii", ".nii.gz" })
                data.Add(t, ext);
        return data;
    }

    [Theory]
    [MemberData(nameof(TypesAndExtensions))]
    public void EveryDatatypeRoundTripsBitExactly(VoxelType type, string extension)
    {
        using var dir = new TestDir();
        var volume = Extremes(type);
        string path = dir.File("v" + extension);
        NiftiFile.Write(path, volume);
        var back = NiftiFile.Read(path);
        Assert.Equal(type, back.VoxelType);
        Assert.Equal(volume.Shape, back.Shape);
        Assert.True(volume.Bytes.SequenceEqual(back.Bytes), "voxel bytes differ");
        Assert.True(volume.Geometry.SameGrid(back.Geometry, 1e-5));
    }

    [Fact]
    public void WrittenHeaderHasTheAgreedFields()
    {
        using var dir = new TestDir();
        string path = dir.File("h.nii");
        NiftiFile.Write(path, PatternVolume(SmallGrid, 0).ConvertTo<ushort>());
        var b = File.ReadAllBytes(path);
        Assert.Equal(352 + 7 * 5 * 3 * 2, b.Length);
        Assert.Equal(348, BitConverter.ToInt32(b, Offset.SizeofHdr));
        short[] dims = Enumerable.Range(0, 8).Select(n => GetInt16(b, Offset.Dim + 2 * n)).ToArray();
        Assert.Equal(new short[] { 3, 7, 5, 3, 1, 1, 1, 1 }, dims);
        Assert.Equal(512, GetInt16(b, Offset.Datatype));
        Assert.Equal(16, GetInt16(b, Offset.Bitpix));
        Assert.Equal(new[] { 1f, 0.7f, 0.8f, 2.5f }, Enumerable.Range(0, 4).Select(n => GetSingle(b, Offset.Pixdim + 4 * n)));
        Assert.Equal(352f, GetSingle(b, Offset.VoxOffset));
        Assert.Equal(1f, GetSingle(b, Offset.SclSlope));
        Assert.Equal(0f, GetSingle(b, Offset.SclInter));
        Assert.Equal(2, b[Offset.XyztUnits]);
        Assert.Equal(1, GetInt16(b, Offset.QformCode));
        Assert.Equal(1, GetInt16(b, Offset.SformCode));
        Assert.Equal("n+1\0"u8.ToArray(), b[Offset.Magic..348]);
        Assert.Equal(new byte[4], b[348..352]);
    }

    public static TheoryData<string, Mat3> Orientations() => new()
    {
        { "LPS-like", Mat3.Identity },
        { "RAS-like", Mat3.Diagonal(new Vec3(-1, -1, 1)) },
        { "oblique", Rotation(25, -15, 10) },
        { "oblique with a reflection", Rotation(-40, 20, 5) * Mat3.Diagonal(new Vec3(1, 1, -1)) },
        { "axes permuted (sagittal)", Mat3.FromColumns(new Vec3(0, 1, 0), new Vec3(0, 0, -1), new Vec3(-1, 0, 0)) },
    };

    [Theory]
    [MemberData(nameof(Orientations))]
    public void GeometryRoundTripsThroughSformAloneAndQformAlone(string name, Mat3 direction)
    {
        using var dir = new TestDir();
        var g = new ImageGeometry(new Shape3(17, 9, 5), new Vec3(0.7, 0.8, 2.5), new Vec3(-120.25, 33.5, 140.75), direction);
        string path = dir.File(name + ".nii");
        NiftiFile.Write(path, PatternVolume(g, 3));
        AssertSameCorners(g, NiftiFile.Read(path).Geometry);

        var bytes = File.ReadAllBytes(path);
        var qformOnly = (byte[])bytes.Clone();
        PutInt16(qformOnly, Offset.SformCode, 0);
        File.WriteAllBytes(dir.File("q.nii"), qformOnly);
        AssertSameCorners(g, NiftiFile.Read(dir.File("q.nii")).Geometry);

        var sformOnly = (byte[])bytes.Clone();
        PutInt16(sformOnly, Offset.QformCode, 0);
        File.WriteAllBytes(dir.File("s.nii"), sformOnly);
        AssertSameCorners(g, NiftiFile.Read(dir.File("s.nii")).Geometry);
    }

    [Fact]
    public void WithoutTransformCodesPixdimAloneGivesTheGrid()
    {
        using var dir = new TestDir();
        string path = dir.File("nocodes.nii");
        NiftiFile.Write(path, PatternVolume(new ImageGeometry(new Shape3(4, 3, 2), new Vec3(2, 3, 4), new Vec3(9, 9, 9), Rotation(30, 0, 0)), 0));
        var b = File.ReadAllBytes(path);
        PutInt16(b, Offset.QformCode, 0);
        PutInt16(b, Offset.SformCode, 0);
        File.WriteAllBytes(path, b);
        // NIfTI-1 method 1: x = pixdim · index in RAS, origin at voxel (0,0,0).
        NiftiFixtureTests.AssertRasAffine(NiftiFile.Read(path).Geometry, new double[,] { { 2, 0, 0, 0 }, { 0, 3, 0, 0 }, { 0, 0, 4, 0 } });
    }

    [Theory]
    [InlineData(VoxelType.Float32)]
    [InlineData(VoxelType.Float64)]
    public void FloatDataIsScaledInItsOwnType(VoxelType type)
    {
        using var dir = new TestDir();
        string path = dir.File("f.nii");
        NiftiFile.Write(path, PatternVolume(SmallGrid, -3).ConvertTo(type));
        var b = File.ReadAllBytes(path);
        PutSingle(b, Offset.SclSlope, 2);
        PutSingle(b, Offset.SclInter, 1);
        File.WriteAllBytes(path, b);
        var v = NiftiFile.Read(path);
        Assert.Equal(type, v.VoxelType);
        Assert.Equal(Pattern(6, 4, 2, -3) * 2 + 1, v.GetDouble(v.Shape.Index(6, 4, 2)));
    }

    [Fact]
    public void ShearedGeometryKeepsItsExactSformAndTheNearestRigidQform()
    {
        using var dir = new TestDir();
        var sheared = Mat3.FromColumns(new Vec3(1, 0, 0), new Vec3(0.05, 0.99875, 0), new Vec3(0, 0, 1));
        var g = new ImageGeometry(new Shape3(6, 6, 4), new Vec3(1, 1, 2), new Vec3(5, 6, 7), sheared);
        string path = dir.File("shear.nii");
        NiftiFile.Write(path, PatternVolume(g, 0));
        AssertSameCorners(g, NiftiFile.Read(path).Geometry);

        var b = File.ReadAllBytes(path);
        PutInt16(b, Offset.SformCode, 0);
        File.WriteAllBytes(path, b);
        var rigid = NiftiFile.Read(path).Geometry;
        var d = rigid.Direction;
        Assert.True((d * d.Transpose()).MaxAbsDifference(Mat3.Identity) < 1e-6, "qform direction must be orthonormal");
        Assert.True(rigid.Direction.MaxAbsDifference(sheared) < 0.05);
    }

    [Fact]
    public void CompressionLevelIsHonoured()
    {
        using var dir = new TestDir();
        var v = PatternVolume(new ImageGeometry(new Shape3(64, 64, 8), Vec3.One), 0);
        NiftiFile.Write(dir.File("l0.nii.gz"), v, new WriteOptions { CompressionLevel = 0 });
        NiftiFile.Write(dir.File("l9.nii.gz"), v, new WriteOptions { CompressionLevel = 9 });
        long raw = 352 + v.Bytes.Length;
        long stored = new FileInfo(dir.File("l0.nii.gz")).Length;
        long best = new FileInfo(dir.File("l9.nii.gz")).Length;
        Assert.True(stored > raw, $"level 0 stores without compressing: {stored} vs {raw} raw");
        Assert.True(best < raw / 4, $"level 9 compresses a smooth pattern: {best} vs {raw} raw");
        Assert.True(v.Bytes.SequenceEqual(NiftiFile.Read(dir.File("l0.nii.gz")).Bytes));
        Assert.True(v.Bytes.SequenceEqual(NiftiFile.Read(dir.File("l9.nii.gz")).Bytes));
        Assert.Throws<ArgumentOutOfRangeException>(() => NiftiFile.Write(dir.File("bad.nii.gz"), v, new WriteOptions { CompressionLevel = 10 }));
        Assert.False(File.Exists(dir.File("bad.nii.gz")));
    }

    [Fact]
    public void MultiMemberGzipReads()
    {
        using var dir = new TestDir();
        var v = PatternVolume(SmallGrid, 100);
        NiftiFile.Write(dir.File("plain.nii"), v);
        var raw = File.ReadAllBytes(dir.File("plain.nii"));
        // Three members, split inside the header and inside the voxel data.
        var joined = Gzip(raw.AsSpan(0, 200)).Concat(Gzip(raw.AsSpan(200, 300))).Concat(Gzip(raw.AsSpan(500))).ToArray();
        File.WriteAllBytes(dir.File("multi.nii.gz"), joined);
        var back = NiftiFile.Read(dir.File("multi.nii.gz"));
        Assert.True(v.Bytes.SequenceEqual(back.Bytes));
        Assert.True(v.Geometry.SameGrid(back.Geometry, 1e-5));
    }

    [Fact]
    public void CompressionIsRecognisedByContentNotByName()
    {
        using var dir = new TestDir();
        var v = PatternVolume(SmallGrid, 1);
        NiftiFile.Write(dir.File("a.nii.gz"), v);
        File.Copy(dir.File("a.nii.gz"), dir.File("gzipped-but-named.nii"));
        Assert.True(v.Bytes.SequenceEqual(NiftiFile.Read(dir.File("gzipped-but-named.nii")).Bytes));
    }

    [Fact]
    public void WriteOverwritesAnExistingFileCompletely()
    {
        using var dir = new TestDir();
        string path = dir.File("o.nii");
        NiftiFile.Write(path, PatternVolume(new ImageGeometry(new Shape3(20, 20, 20), Vec3.One), 0));
        var small = PatternVolume(SmallGrid, 7);
        NiftiFile.Write(path, small);
        Assert.Equal(352 + small.Bytes.Length, new FileInfo(path).Length);
        Assert.True(small.Bytes.SequenceEqual(NiftiFile.Read(path).Bytes));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    internal static void AssertSameCorners(ImageGeometry expected, ImageGeometry actual)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        foreach (var (e, a) in expected.CornerCentres().Zip(actual.CornerCentres()))
            Assert.True((e - a).MaxAbs <= 1e-5, $"corner {e} read back as {a}");
    }

    private static Mat3 Rotation(double degZ, double degX, double degY)
    {
        double z = degZ * Math.PI / 180, x = degX * Math.PI / 180, y = degY * Math.PI / 180;
        var rz = new Mat3(Math.Cos(z), -Math.Sin(z), 0, Math.Sin(z), Math.Cos(z), 0, 0, 0, 1);
        var rx = new Mat3(1, 0, 0, 0, Math.Cos(x), -Math.Sin(x), 0, Math.Sin(x), Math.Cos(x));
        var ry = new Mat3(Math.Cos(y), 0, Math.Sin(y), 0, 1, 0, -Math.Sin(y), 0, Math.Cos(y));
        return rz * rx * ry;
    }

    /// <summary>A volume of the type whose first voxels are the type's extremes (and, for floats, NaN,
    /// infinities, the smallest subnormal and −0), the rest seeded random bits.</summary>
    private static Volume Extremes(VoxelType type) => type switch
    {
        VoxelType.UInt8 => Extremes<byte>(),
        VoxelType.Int8 => Extremes<sbyte>(),
        VoxelType.Int16 => Extremes<short>(),
        VoxelType.UInt16 => Extremes<ushort>(),
        VoxelType.Int32 => Extremes<int>(),
        VoxelType.UInt32 => Extremes<uint>(),
        VoxelType.Float32 => Extremes<float>(),
        _ => Extremes<double>(),
    };

    private static Volume<T> Extremes<T>() where T : unmanaged, INumber<T>, IMinMaxValue<T>
    {
        var v = new Volume<T>(SmallGrid);
        new Random(42).NextBytes(v.Bytes);
        v.Data[0] = T.MinValue;
        v.Data[1] = T.MaxValue;
        v.Data[2] = T.Zero;
        v.Data[3] = T.One;
        if (v.Data is float[] f)
        {
            f[4] = float.NaN; f[5] = float.PositiveInfinity; f[6] = float.NegativeInfinity; f[7] = float.Epsilon; f[8] = -0f;
        }
        if (v.Data is double[] d)
        {
            d[4] = double.NaN; d[5] = double.PositiveInfinity; d[6] = double.NegativeInfinity; d[7] = double.Epsilon; d[8] = -0.0;
        }
        return v;
    }
}
