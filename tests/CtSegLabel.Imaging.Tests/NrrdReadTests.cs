using System.Text;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;
using static CtSegLabel.Imaging.Tests.NrrdTestFiles;

namespace CtSegLabel.Imaging.Tests;

/// <summary>Hand-written headers as other programs write them (teem, ITK, Slicer, pynrrd).</summary>
public class NrrdReadTests
{
    private static readonly short[] Twelve = [-1024, -1000, -1, 0, 1, 2, 100, 200, 300, 1000, 3000, short.MaxValue];

    [Fact]
    public void RasSpaceHeaderReadsToTheSameVoxelsInLps()
    {
        using var dir = new TestDir();
        string path = Attached(dir, "ras.nrrd", Bytes(Twelve),
            "NRRD0004",
            "# written by hand",
            "type: short",
            "dimension: 3",
            "space: right-anterior-superior",
            "sizes: 3 2 2",
            "space directions: (-0.5,0,0) (0,-0.75,0) (0,0,2.5)",
            "kinds: domain domain domain",
            "endian: little",
            "encoding: raw",
            "space origin: (10,20,30)");
        var v = (Volume<short>)NrrdFile.Read(path);
        // RAS (10, 20, 30) is LPS (-10, -20, 30); RAS step (-0.5, 0, 0) is LPS (0.5, 0, 0).
        Assert.Equal(new Vec3(-10, -20, 30), v.Geometry.Origin);
        Assert.Equal(new Vec3(0.5, 0.75, 2.5), v.Geometry.Spacing);
        Assert.Equal("LPS", v.Geometry.OrientationCode);
        Assert.Equal(new Vec3(-9, -19.25, 32.5), v.Geometry.IndexToWorld(2, 1, 1));
        Assert.Equal(Twelve, v.Data);
        Assert.Equal(short.MaxValue, v[2, 1, 1]);
    }

    [Fact]
    public void LasAndShortSpaceNamesConvertToLps()
    {
        using var dir = new TestDir();
        string las = Attached(dir, "las.nrrd", new byte[8],
            "NRRD0005", "type: uchar", "dimension: 3", "space: LAS", "sizes: 2 2 2",
            "space directions: (1,0,0) (0,2,0) (0,0,3)", "encoding: raw", "space origin: (1,2,3)");
        var g = NrrdFile.Read(las).Geometry;
        Assert.Equal(new Vec3(1, -2, 3), g.Origin);
        Assert.Equal("LAS", g.OrientationCode);
        Assert.Equal(new Vec3(1, -4, 3), g.IndexToWorld(0, 1, 0));

        string ras = Attached(dir, "ras.nrrd", new byte[8],
            "NRRD0004", "type: uchar", "dimension: 3", "space: RAS", "sizes: 2 2 2",
            "space directions: (1,0,0) (0,1,0) (0,0,1)", "encoding: raw");
        Assert.Equal("RAS", NrrdFile.Read(ras).Geometry.OrientationCode);
    }

    [Fact]
    public void BigEndianDataReadsToTheRightValues()
    {
        using var dir = new TestDir();
        string shorts = Attached(dir, "be16.nrrd", BigEndian(Twelve),
            "NRRD0004", "type: int16", "dimension: 3", "sizes: 3 2 2", "endian: big", "encoding: raw");
        Assert.Equal(Twelve, ((Volume<short>)NrrdFile.Read(shorts)).Data);

        float[] floats = [1.5f, -2.25f, float.MaxValue, float.Epsilon, 0, 1e-20f, 3, 4];
        string fl = Attached(dir, "bef.nrrd", Gzip(BigEndian(floats)),
            "NRRD0004", "type: float", "dimension: 3", "sizes: 2 2 2", "endian: big", "encoding: gzip");
        Assert.Equal(floats, ((Volume<float>)NrrdFile.Read(fl)).Data);

        double[] doubles = [Math.PI, -Math.E, 1e300, -0.0, 5, 6, 7, 8];
        string db = Attached(dir, "bed.nrrd", BigEndian(doubles),
            "NRRD0001", "type: double", "dimension: 3", "sizes: 2 2 2", "endian: big", "encoding: raw");
        Assert.Equal(doubles, ((Volume<double>)NrrdFile.Read(db)).Data);
    }

    [Theory]
    [InlineData("vol.raw", false)]
    [InlineData("./vol.raw", false)]
    [InlineData("sub/vol.raw.gz", true)]
    public void DetachedHeaderReadsItsDataFileBesideIt(string dataFile, bool gzip)
    {
        using var dir = new TestDir();
        Directory.CreateDirectory(dir.File("sub"));
        File.WriteAllBytes(dir.File(dataFile), gzip ? Gzip(Bytes(Twelve)) : Bytes(Twelve));
        string header = Text(dir, "vol.nhdr",
            "NRRD0004\ntype: short\ndimension: 3\nspace: left-posterior-superior\nsizes: 3 2 2\n" +
            "space directions: (1,0,0) (0,1,0) (0,0,4)\nendian: little\n" +
            $"encoding: {(gzip ? "gz" : "raw")}\nspace origin: (0,0,-8)\ndata file: {dataFile}\n");
        // Read from another working directory: the data file is relative to the header, not to us.
        var v = (Volume<short>)NrrdFile.Read(header);
        Assert.Equal(Twelve, v.Data);
        Assert.Equal(new Vec3(0, 0, -4), v.Geometry.IndexToWorld(0, 0, 1));
        Assert.Equal(VolumeFormat.Nrrd, VolumeFile.FormatOf(header));
    }

    [Fact]
    public void SpacingsOnlyHeaderGivesIdentityDirection()
    {
        using var dir = new TestDir();
        string path = Attached(dir, "sp.nrrd", Bytes(Twelve),
            "NRRD0001", "content: old style", "type: short", "dimension: 3", "sizes: 3 2 2",
            "spacings: 0.5 0.75 3", "encoding: raw");
        var g = NrrdFile.Read(path).Geometry;
        Assert.Equal(new Vec3(0.5, 0.75, 3), g.Spacing);
        Assert.Equal(Mat3.Identity, g.Direction);
        Assert.Equal(Vec3.Zero, g.Origin);
    }

    [Fact]
    public void NoGeometryAtAllMeansUnitSpacing()
    {
        using var dir = new TestDir();
        string path = Attached(dir, "min.nrrd", new byte[8], "NRRD0001", "type: unsigned char", "dimension: 3", "sizes: 2 2 2", "encoding: raw");
        var g = NrrdFile.Read(path).Geometry;
        Assert.Equal(Vec3.One, g.Spacing);
        Assert.Equal(Mat3.Identity, g.Direction);
    }

    [Fact]
    public void AsciiEncodingReadsIntegersAndFloats()
    {
        using var dir = new TestDir();
        string ints = Attached(dir, "a.nrrd", Encoding.ASCII.GetBytes("-1024 -1000 -1\n0 1 2\n100, 200, 300\n\t1000 3000 32767\n"),
            "NRRD0004", "type: short", "dimension: 3", "sizes: 3 2 2", "encoding: ascii");
        Assert.Equal(Twelve, ((Volume<short>)NrrdFile.Read(ints)).Data);

        string floats = Attached(dir, "f.nrrd", Encoding.ASCII.GetBytes("1.5 -2.5e3 nan inf\n-inf 0 1E-3 7"),
            "NRRD0004", "type: float", "dimension: 3", "sizes: 2 2 2", "encoding: text");
        Assert.Equal(new[] { 1.5f, -2500f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, 1e-3f, 7f },
            ((Volume<float>)NrrdFile.Read(floats)).Data);
    }

    [Fact]
    public void HexEncodingReadsBytesInFileOrder()
    {
        using var dir = new TestDir();
        string path = Attached(dir, "h.nrrd", Encoding.ASCII.GetBytes("0001 00ff\nFFFF 8000\n0002 0003 0004 7fff"),
            "NRRD0004", "type: short", "dimension: 3", "sizes: 2 2 2", "endian: big", "encoding: hex");
        Assert.Equal(new short[] { 1, 255, -1, short.MinValue, 2, 3, 4, short.MaxValue }, ((Volume<short>)NrrdFile.Read(path)).Data);
    }

    [Fact]
    public void MultiMemberGzipReadsAsOneStream()
    {
        using var dir = new TestDir();
        var bytes = Bytes(Twelve);
        var twoMembers = Gzip(bytes[..10]).Concat(Gzip(bytes[10..])).ToArray();
        string path = Attached(dir, "mm.nrrd", twoMembers, "NRRD0004", "type: short", "dimension: 3", "sizes: 3 2 2", "endian: little", "encoding: gzip");
        Assert.Equal(Twelve, ((Volume<short>)NrrdFile.Read(path)).Data);
    }

    [Fact]
    public void LineAndByteSkipsAreHonoured()
    {
        using var dir = new TestDir();
        // Attached: skip one text line, then 3 bytes, before the data.
        var junk = Encoding.ASCII.GetBytes("a line to skip\nxyz");
        string attached = Attached(dir, "skip.nrrd", junk.Concat(Bytes(Twelve)).ToArray(),
            "NRRD0004", "type: short", "dimension: 3", "sizes: 3 2 2", "encoding: raw", "line skip: 1", "byte skip: 3");
        Assert.Equal(Twelve, ((Volume<short>)NrrdFile.Read(attached)).Data);

        // byte skip -1: the data are the last bytes of a file with a foreign header of any length.
        File.WriteAllBytes(dir.File("foreign.dat"), Encoding.ASCII.GetBytes("some other format's header").Concat(Bytes(Twelve)).ToArray());
        string tail = Text(dir, "tail.nhdr", "NRRD0004\ntype: short\ndimension: 3\nsizes: 3 2 2\nencoding: raw\nbyte skip: -1\ndata file: foreign.dat\n\n");
        Assert.Equal(Twelve, ((Volume<short>)NrrdFile.Read(tail)).Data);

        // gzip: byte skip counts decompressed bytes.
        string gz = Attached(dir, "gzskip.nrrd", Gzip(new byte[] { 9, 9, 9, 9 }.Concat(Bytes(Twelve)).ToArray()),
            "NRRD0004", "type: short", "dimension: 3", "sizes: 3 2 2", "encoding: gzip", "byte skip: 4");
        Assert.Equal(Twelve, ((Volume<short>)NrrdFile.Read(gz)).Data);
    }

    public static TheoryData<string, VoxelType> TypeSpellings()
    {
        var data = new TheoryData<string, VoxelType>();
        foreach (var s in new[] { "signed char", "int8", "int8_t" }) data.Add(s, VoxelType.Int8);
        foreach (var s in new[] { "uchar", "unsigned char", "uint8", "uint8_t" }) data.Add(s, VoxelType.UInt8);
        foreach (var s in new[] { "short", "short int", "signed short", "signed short int", "int16", "int16_t" }) data.Add(s, VoxelType.Int16);
        foreach (var s in new[] { "ushort", "unsigned short", "unsigned short int", "uint16", "uint16_t" }) data.Add(s, VoxelType.UInt16);
        foreach (var s in new[] { "int", "signed int", "int32", "int32_t" }) data.Add(s, VoxelType.Int32);
        foreach (var s in new[] { "uint", "unsigned int", "uint32", "uint32_t" }) data.Add(s, VoxelType.UInt32);
        data.Add("float", VoxelType.Float32);
        data.Add("double", VoxelType.Float64);
        data.Add("Unsigned  Char", VoxelType.UInt8);
        return data;
    }

    [Theory]
    [MemberData(nameof(TypeSpellings))]
    public void EverySpellingOfATypeIsRead(string spelling, VoxelType expected)
    {
        using var dir = new TestDir();
        int size = expected.Size();
        var data = Enumerable.Range(0, 8 * size).Select(n => (byte)(n * 37)).ToArray();
        string path = Attached(dir, "t.nrrd", data, "NRRD0004", $"type: {spelling}", "dimension: 3", "sizes: 2 2 2", "endian: little", "encoding: raw");
        var v = NrrdFile.Read(path);
        Assert.Equal(expected, v.VoxelType);
        Assert.Equal(data, v.Bytes.ToArray());
    }

    [Theory]
    [InlineData("sizes: 1 3 2 2", "kinds: list domain domain domain", "space directions: none (1,0,0) (0,1,0) (0,0,1)")]
    [InlineData("sizes: 3 2 2 1", "kinds: domain domain domain vector", "space directions: (1,0,0) (0,1,0) (0,0,1) none")]
    [InlineData("sizes: 3 2 1 2", "kinds: domain domain ??? domain", "spacings: 1 1 nan 1")]
    [InlineData("sizes: 3 2 2 1", "content: no kinds, the size-1 axis is the extra one", "spacings: 1 1 1 nan")]
    public void FourDimensionalDataWithOneValuePerVoxelIsAVolume(string sizes, string kinds, string directions)
    {
        using var dir = new TestDir();
        string path = Attached(dir, "4d.nrrd", Bytes(Twelve), "NRRD0004", "type: short", "dimension: 4", "space: LPS", sizes, kinds, directions, "encoding: raw");
        var v = (Volume<short>)NrrdFile.Read(path);
        Assert.Equal(new Shape3(3, 2, 2), v.Shape);
        Assert.Equal(Twelve, v.Data);
    }

    [Fact]
    public void CommentsAndKeyValuesAnywhereInTheHeader()
    {
        using var dir = new TestDir();
        string path = Attached(dir, "c.nrrd", new byte[8],
            "NRRD0004", "# first comment", "type: uchar", "my key:=a value: with colons",
            "dimension: 3", "# another", "sizes: 2 2 2", "url:=http://example.org/a:b", "encoding: raw");
        var image = NrrdFile.ReadImage(path);
        Assert.Equal("a value: with colons", image.KeyValues.Single(p => p.Key == "my key").Value);
        Assert.Equal("http://example.org/a:b", image.KeyValues.Single(p => p.Key == "url").Value);
    }

    [Fact]
    public void WindowsLineEndingsInTheHeaderAreAccepted()
    {
        using var dir = new TestDir();
        string path = dir.File("crlf.nrrd");
        var header = Encoding.ASCII.GetBytes("NRRD0004\r\ntype: short\r\ndimension: 3\r\nsizes: 3 2 2\r\nencoding: raw\r\n\r\n");
        File.WriteAllBytes(path, header.Concat(Bytes(Twelve)).ToArray());
        Assert.Equal(Twelve, ((Volume<short>)NrrdFile.Read(path)).Data);
    }

    [Fact]
    public void AHeaderFullOfKeyValuesReadsAndTheLastOfADuplicateWins()
    {
        using var dir = new TestDir();
        var lines = new List<string> { "NRRD0004", "type: uchar", "dimension: 3", "sizes: 2 2 2", "encoding: raw", "dup:=first" };
        for (int n = 0; n < 50_000; n++) lines.Add($"k{n}:=v{n}");
        lines.Add("dup:=second");
        string path = Attached(dir, "many.nrrd", new byte[8], lines.ToArray());
        Assert.True(new FileInfo(path).Length < NrrdHeader.MaxHeaderBytes);
        var image = NrrdFile.ReadImage(path);
        Assert.Equal(50_001, image.KeyValues.Count);
        Assert.Equal("second", NrrdFile.ReadHeader(path).Value("dup"));
        Assert.Equal("v49999", NrrdFile.ReadHeader(path).Value("k49999"));
    }
}
