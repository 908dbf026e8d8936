using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Tests;

public class NrrdRoundTripTests
{
    public static TheoryData<VoxelType, int> TypesAndLevels()
    {
        var data = new TheoryData<VoxelType, int>();
        foreach (var type in Enum.GetValues<VoxelType>())
            foreach (int level in new[] { 0, 1, 9 })
                data.Add(type, level);
        return data;
    }

    [Theory]
    [MemberData(nameof(TypesAndLevels))]
    public void EveryVoxelTypeRoundTripsBitExactly(VoxelType type, int level)
    {
        using var dir = new TestDir();
        var geometry = NrrdTestFiles.Oblique(new Shape3(7, 5, 3));
        var volume = NrrdTestFiles.RandomVolume(type, geometry, seed: (int)type * 10 + level);
        string path = dir.File("v.nrrd");

        NrrdFile.Write(path, volume, new WriteOptions { CompressionLevel = level });
        var back = NrrdFile.Read(path);

        Assert.Equal(type, back.VoxelType);
        Assert.True(volume.Bytes.SequenceEqual(back.Bytes), "voxel bytes differ");
        NrrdTestFiles.AssertSameCorners(geometry, back.Geometry, 1e-9);
        var header = NrrdFile.ReadHeader(path);
        Assert.Equal(4, header.Version);
        Assert.Equal(level == 0 ? "raw" : "gzip", header.Field("encoding"));
        Assert.Equal("left-posterior-superior", header.Field("space"));
        Assert.Equal("domain domain domain", header.Field("kinds"));
        Assert.Equal("little", header.Field("endian"));
        Assert.Equal(["type", "dimension", "space", "sizes", "space directions", "kinds", "endian", "encoding", "space origin"],
            header.Fields.Select(f => f.Key));
        Assert.Empty(header.KeyValues);
    }

    [Fact]
    public void GzipIsSmallerThanRawOnSmoothData()
    {
        using var dir = new TestDir();
        var v = new Volume<short>(new ImageGeometry(new Shape3(40, 40, 10), Vec3.One));
        for (int n = 0; n < v.Data.Length; n++) v.Data[n] = (short)(n / 100 - 1000);
        NrrdFile.Write(dir.File("raw.nrrd"), v, new WriteOptions { CompressionLevel = 0 });
        NrrdFile.Write(dir.File("gz.nrrd"), v);
        Assert.True(new FileInfo(dir.File("gz.nrrd")).Length * 4 < new FileInfo(dir.File("raw.nrrd")).Length);
        Assert.Equal(v.Data, ((Volume<short>)NrrdFile.Read(dir.File("gz.nrrd"))).Data);
    }

    public static TheoryData<string> Frames() => new() { "LPS", "RAS", "oblique" };

    [Theory]
    [MemberData(nameof(Frames))]
    public void GeometrySurvivesReadWriteReadWithinMicrometres(string frame)
    {
        var shape = new Shape3(6, 4, 3);
        var geometry = frame switch
        {
            "LPS" => new ImageGeometry(shape, new Vec3(0.68359375, 0.68359375, 1.25), new Vec3(-174.658203125, -349.658203125, -1241.5), Mat3.Identity),
            "RAS" => new ImageGeometry(shape, new Vec3(3, 3, 3), new Vec3(181.5, 150.000001, -35.123456789), Mat3.Diagonal(new Vec3(-1, -1, 1))),
            _ => NrrdTestFiles.Oblique(shape),
        };
        using var dir = new TestDir();
        var v = NrrdTestFiles.RandomVolume(VoxelType.Int16, geometry, 3);

        NrrdFile.Write(dir.File("a.nrrd"), v);
        var once = NrrdFile.Read(dir.File("a.nrrd"));
        NrrdFile.Write(dir.File("b.nrrd"), once);
        var twice = NrrdFile.Read(dir.File("b.nrrd"));

        NrrdTestFiles.AssertSameCorners(geometry, once.Geometry);
        NrrdTestFiles.AssertSameCorners(geometry, twice.Geometry);
        Assert.Equal(geometry.OrientationCode, twice.Geometry.OrientationCode);
        Assert.True(v.Bytes.SequenceEqual(twice.Bytes));
    }

    [Fact]
    public void WrittenSpaceDirectionsAreDirectionTimesSpacingInRoundTripDigits()
    {
        using var dir = new TestDir();
        var g = new ImageGeometry(new Shape3(2, 2, 2), new Vec3(0.1, 0.2, 0.3), new Vec3(1.0 / 3, -2.0 / 3, 1e-7), Mat3.Diagonal(new Vec3(1, -1, 1)));
        NrrdFile.Write(dir.File("v.nrrd"), new Volume<byte>(g));
        var header = NrrdFile.ReadHeader(dir.File("v.nrrd"));
        Assert.Equal("(0.1,0,0) (0,-0.2,0) (0,0,0.3)", header.Field("space directions"));
        Assert.Equal("(0.3333333333333333,-0.6666666666666666,1E-07)", header.Field("space origin"));
        var back = NrrdFile.Read(dir.File("v.nrrd")).Geometry;
        Assert.Equal(g.Origin, back.Origin);
        Assert.Equal(g.Spacing, back.Spacing);
        Assert.Equal(g.Direction, back.Direction);
    }

    [Fact]
    public void KeyValuePairsSurviveReadAndWrite()
    {
        using var dir = new TestDir();
        var v = new Volume<short>(new ImageGeometry(new Shape3(2, 3, 4), Vec3.One));
        v[1, 2, 3] = -1000;
        var pairs = new List<KeyValuePair<string, string>>
        {
            new("DICOM_0008_0060", "CT"),
            new("note", "two\nlines and a back\\slash"),
            new("empty", ""),
        };
        NrrdFile.WriteImage(dir.File("a.nrrd"), new NrrdImage(v, pairs));
        var image = NrrdFile.ReadImage(dir.File("a.nrrd"));
        Assert.Equal(pairs, image.KeyValues);
        NrrdFile.WriteImage(dir.File("b.nrrd"), image);
        var again = NrrdFile.ReadImage(dir.File("b.nrrd"));
        Assert.Equal(pairs, again.KeyValues);
        Assert.Equal(-1000, ((Volume<short>)again.Volume)[1, 2, 3]);
    }

    [Fact]
    public void VolumesLargerThanOneChunkStreamThrough()
    {
        // 17.6 MB of doubles: more than one 16 MiB chunk, so chunk boundaries are crossed on both paths.
        using var dir = new TestDir();
        var v = NrrdTestFiles.RandomVolume(VoxelType.Float64, new ImageGeometry(new Shape3(160, 128, 108), Vec3.One), 11);
        NrrdFile.Write(dir.File("big.nrrd"), v, new WriteOptions { CompressionLevel = 0 });
        Assert.True(v.Bytes.SequenceEqual(NrrdFile.Read(dir.File("big.nrrd")).Bytes));
    }

    [Fact]
    public void WriteReplacesAnExistingFileWhole()
    {
        using var dir = new TestDir();
        string path = dir.File("v.nrrd");
        File.WriteAllText(path, "old content that is not NRRD");
        var v = new Volume<byte>(new ImageGeometry(new Shape3(3, 3, 3), Vec3.One));
        v[2, 2, 2] = 9;
        NrrdFile.Write(path, v);
        Assert.Equal(9, ((Volume<byte>)NrrdFile.Read(path))[2, 2, 2]);
        Assert.Single(Directory.GetFiles(dir.Path));
    }
}
