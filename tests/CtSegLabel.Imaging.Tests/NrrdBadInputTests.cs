using System.Text;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;
using static CtSegLabel.Imaging.Tests.NrrdTestFiles;

namespace CtSegLabel.Imaging.Tests;

/// <summary>Every kind of broken file ends in a VolumeFormatException naming the file and the field.</summary>
public class NrrdBadInputTests
{
    private static readonly string[] Good =
    [
        "NRRD0004", "type: short", "dimension: 3", "space: left-posterior-superior", "sizes: 3 2 2",
        "space directions: (1,0,0) (0,1,0) (0,0,2)", "endian: little", "encoding: raw", "space origin: (0,0,0)",
    ];

    private static readonly byte[] GoodData = new byte[24];

    /// <summary>The good header with one line replaced (or removed when the replacement is null).</summary>
    private static string[] With(string field, string? line)
    {
        var lines = Good.Where(l => !l.StartsWith(field + ":", StringComparison.Ordinal)).ToList();
        if (line is not null) lines.Add(line);
        return lines.ToArray();
    }

    [Fact]
    public void TheGoodHeaderReads()
    {
        using var dir = new TestDir();
        Assert.Equal(new Shape3(3, 2, 2), NrrdFile.Read(Attached(dir, "ok.nrrd", GoodData, Good)).Shape);
    }

    [Theory]
    [InlineData("NRRD0009")]
    [InlineData("NRRX0004")]
    [InlineData("nrrd0004")]
    [InlineData("NRRD0004 extra")]
    public void WrongMagic(string magic)
    {
        using var dir = new TestDir();
        Fails(Attached(dir, "m.nrrd", GoodData, [magic, .. Good[1..]]), "magic");
    }

    [Fact]
    public void NotANrrdAtAll()
    {
        using var dir = new TestDir();
        File.WriteAllBytes(dir.File("png.nrrd"), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]);
        Fails(dir.File("png.nrrd"), "magic");
        File.WriteAllBytes(dir.File("empty.nrrd"), []);
        Fails(dir.File("empty.nrrd"), "magic");
    }

    [Theory]
    [InlineData("type")]
    [InlineData("dimension")]
    [InlineData("sizes")]
    [InlineData("encoding")]
    public void MissingRequiredField(string field)
    {
        using var dir = new TestDir();
        var e = Fails(Attached(dir, "r.nrrd", GoodData, With(field, null)), field);
        Assert.Contains("missing", e.Message);
    }

    [Theory]
    [InlineData("type: int64", "not a voxel type")]
    [InlineData("type: unsigned long long int", "not a voxel type")]
    [InlineData("type: block", "not a voxel type")]
    [InlineData("type: quaternion", "unknown type")]
    [InlineData("type: ", "unknown type")]
    public void UnsupportedOrUnknownType(string line, string problem)
    {
        using var dir = new TestDir();
        Assert.Contains(problem, Fails(Attached(dir, "t.nrrd", GoodData, With("type", line)), "type").Message);
    }

    [Theory]
    [InlineData("encoding: bzip2", "bzip2")]
    [InlineData("encoding: bz2", "bzip2")]
    [InlineData("encoding: zrl", "unknown encoding")]
    [InlineData("encoding: jpeg", "unknown encoding")]
    public void UnsupportedOrUnknownEncoding(string line, string problem)
    {
        using var dir = new TestDir();
        Assert.Contains(problem, Fails(Attached(dir, "e.nrrd", GoodData, With("encoding", line)), "encoding").Message);
    }

    [Theory]
    [InlineData("sizes: 0 2 2")]
    [InlineData("sizes: 3 -2 2")]
    [InlineData("sizes: 3 2")]
    [InlineData("sizes: 3 2 2 2")]
    [InlineData("sizes: three 2 2")]
    [InlineData("sizes: 99999999999 2 2")]
    public void BadSizes(string line)
    {
        using var dir = new TestDir();
        Fails(Attached(dir, "s.nrrd", GoodData, With("sizes", line)), "sizes");
    }

    [Fact]
    public void VoxelCountOverTheLimitIsRefusedBeforeAllocating()
    {
        using var dir = new TestDir();
        // 10^15 voxels would be petabytes: the refusal must come from the header alone.
        string huge = Attached(dir, "huge.nrrd", GoodData, With("sizes", "sizes: 100000 100000 100000"));
        Assert.Contains("MaxVoxels", Fails(huge, "sizes").Message);
        string over = Attached(dir, "over.nrrd", GoodData, With("sizes", "sizes: 100 100 100"));
        Fails(over, "sizes", new ReadOptions { MaxVoxels = 999_999 });
    }

    [Theory]
    [InlineData("dimension: 2")]
    [InlineData("dimension: 5")]
    [InlineData("dimension: three")]
    public void BadDimension(string line)
    {
        using var dir = new TestDir();
        Fails(Attached(dir, "d.nrrd", GoodData, With("dimension", line)), "dimension");
    }

    [Theory]
    [InlineData("space directions: (0,0,0) (0,1,0) (0,0,2)", "zero")]
    [InlineData("space directions: (1,0,0) (2,0,0) (0,0,2)", "degenerate")]
    [InlineData("space directions: (1,1,0) (0,0,1) (1,1,1)", "degenerate")]
    [InlineData("space directions: (nan,0,0) (0,1,0) (0,0,2)", "finite")]
    [InlineData("space directions: (inf,0,0) (0,1,0) (0,0,2)", "finite")]
    [InlineData("space directions: (1,0) (0,1,0) (0,0,2)", "components")]
    [InlineData("space directions: (1,0,0,0) (0,1,0) (0,0,2)", "components")]
    [InlineData("space directions: (1,0,0 (0,1,0) (0,0,2)", "")]
    [InlineData("space directions: (1,0,0) (0,1,0)", "entries")]
    [InlineData("space directions: (1,0,0) (0,1,0) none", "3 spatial axes")]
    [InlineData("space directions: (a,b,c) (0,1,0) (0,0,2)", "finite")]
    [InlineData("space directions: 1 0 0 0 1 0 0 0 1", "neither")]
    public void BadSpaceDirections(string line, string problem)
    {
        using var dir = new TestDir();
        Assert.Contains(problem, Fails(Attached(dir, "sd.nrrd", GoodData, With("space directions", line)), "space directions").Message);
    }

    [Theory]
    [InlineData("space origin: 1,2,3")]
    [InlineData("space origin: (1,2)")]
    [InlineData("space origin: (1,2,3) (4,5,6)")]
    [InlineData("space origin: (1,nan,3)")]
    [InlineData("space origin: none")]
    public void BadSpaceOrigin(string line)
    {
        using var dir = new TestDir();
        Fails(Attached(dir, "so.nrrd", GoodData, With("space origin", line)), "space origin");
    }

    [Theory]
    [InlineData("spacings: 0 1 1")]
    [InlineData("spacings: 1 -1 1")]
    [InlineData("spacings: 1 1 nan")]
    [InlineData("spacings: 1 1")]
    [InlineData("spacings: 1 one 1")]
    public void BadSpacings(string line)
    {
        using var dir = new TestDir();
        var lines = With("space directions", null).Append(line).ToArray();
        Fails(Attached(dir, "sp.nrrd", GoodData, lines), "spacings");
    }

    [Theory]
    [InlineData("space", "space: right-anterior-superior-time")]
    [InlineData("space", "space: 3D-left-handed")]
    [InlineData("endian", "endian: middle")]
    [InlineData("kinds", "kinds: domain domain")]
    [InlineData("byte skip", "byte skip: -2")]
    [InlineData("line skip", "line skip: lots")]
    [InlineData("space dimension", "space dimension: 2")]
    public void BadOptionalField(string field, string line)
    {
        using var dir = new TestDir();
        Fails(Attached(dir, "o.nrrd", GoodData, With(field, line)), field);
    }

    [Fact]
    public void ByteSkipMinusOneNeedsRawEncoding()
    {
        using var dir = new TestDir();
        var lines = With("encoding", "encoding: gzip").Append("byte skip: -1").ToArray();
        Fails(Attached(dir, "bs.nrrd", Gzip(GoodData), lines), "byte skip");
    }

    [Fact]
    public void AFieldGivenTwiceIsAmbiguous()
    {
        using var dir = new TestDir();
        Fails(Attached(dir, "twice.nrrd", GoodData, [.. Good, "sizes: 2 2 2"]), "sizes");
    }

    [Fact]
    public void ALineThatIsNeitherFieldNorKeyValue()
    {
        using var dir = new TestDir();
        Assert.Contains("line", Fails(Attached(dir, "junk.nrrd", GoodData, [.. Good, "this is not a field"]), "header").Message);
    }

    [Fact]
    public void TruncatedRawData()
    {
        using var dir = new TestDir();
        var e = Fails(Attached(dir, "short.nrrd", new byte[23], Good), "data");
        Assert.Contains("truncated", e.Message);
        Assert.Contains("23 of the 24", e.Message);
    }

    [Fact]
    public void TruncatedGzipData()
    {
        using var dir = new TestDir();
        var lines = With("encoding", "encoding: gzip");
        Assert.Contains("truncated", Fails(Attached(dir, "shortgz.nrrd", Gzip(new byte[20]), lines), "data").Message);
        var cut = Gzip(Enumerable.Range(0, 24).Select(n => (byte)(n * 91)).ToArray());
        Fails(Attached(dir, "cutgz.nrrd", cut[..(cut.Length - 12)], lines), "data");
    }

    [Fact]
    public void CorruptGzipData()
    {
        using var dir = new TestDir();
        var lines = With("encoding", "encoding: gzip");
        var gz = Gzip(Enumerable.Range(0, 24).Select(n => (byte)n).ToArray());
        for (int n = 10; n < gz.Length - 8; n++) gz[n] ^= 0x5A;
        Fails(Attached(dir, "bad.nrrd", gz, lines), "data");
        Fails(Attached(dir, "notgz.nrrd", Encoding.ASCII.GetBytes("plain text, not gzip at all"), lines), "data");
    }

    [Fact]
    public void TruncatedAsciiAndBadNumbers()
    {
        using var dir = new TestDir();
        var lines = With("encoding", "encoding: ascii");
        Assert.Contains("truncated", Fails(Attached(dir, "a1.nrrd", Encoding.ASCII.GetBytes("1 2 3 4 5"), lines), "data").Message);
        Fails(Attached(dir, "a2.nrrd", Encoding.ASCII.GetBytes("1 2 x 4 5 6 7 8 9 10 11 12"), lines), "data");
        Assert.Contains("range", Fails(Attached(dir, "a3.nrrd", Encoding.ASCII.GetBytes("1 2 40000 4 5 6 7 8 9 10 11 12"), lines), "data").Message);
        Fails(Attached(dir, "a4.nrrd", Encoding.ASCII.GetBytes("1 2 3.5 4 5 6 7 8 9 10 11 12"), lines), "data");
    }

    [Fact]
    public void MissingDetachedDataFile()
    {
        using var dir = new TestDir();
        string path = Text(dir, "d.nhdr", string.Join("\n", Good) + "\ndata file: nowhere.raw\n");
        Assert.Contains("nowhere.raw", Fails(path, "data file").Message);
    }

    [Theory]
    [InlineData("data file: slice%03d.raw 1 10 1\n")]
    [InlineData("data file: LIST\na.raw\nb.raw\n")]
    public void MultiFileDataIsRefusedClearly(string lines)
    {
        using var dir = new TestDir();
        Fails(Text(dir, "m.nhdr", string.Join("\n", Good) + "\n" + lines), "data file");
    }

    [Fact]
    public void GzipBombIsStoppedAtTheLimit()
    {
        using var dir = new TestDir();
        // 16 MiB of zeros compress to a few KiB; the header claims them all.
        var bomb = Gzip(new byte[16 << 20]);
        Assert.True(bomb.Length * 100 < 16 << 20);
        string path = Attached(dir, "bomb.nrrd", bomb, "NRRD0004", "type: uchar", "dimension: 3", "sizes: 256 256 256", "encoding: gzip");
        var e = Fails(path, "sizes", new ReadOptions { MaxDecompressedBytes = 1 << 20 });
        Assert.Contains("MaxDecompressedBytes", e.Message);
        // A byte skip cannot smuggle the inflation past the limit either.
        string skip = Attached(dir, "skipbomb.nrrd", bomb, "NRRD0004", "type: uchar", "dimension: 3", "sizes: 2 2 2", "encoding: gzip", "byte skip: 16000000");
        Fails(skip, "sizes", new ReadOptions { MaxDecompressedBytes = 1 << 20 });
    }

    [Fact]
    public void HeaderWithoutEndIsRefusedWithinTheLimit()
    {
        using var dir = new TestDir();
        // 2 MiB of comment lines and no blank line: not a header, and not read to the end.
        var text = new StringBuilder(string.Join("\n", Good) + "\n");
        while (text.Length < 2 << 20) text.Append("# padding padding padding padding padding padding\n");
        string endless = Text(dir, "endless.nrrd", text.ToString());
        Assert.Contains("blank line", Fails(endless, "header").Message);

        // A huge file with no line break after the magic.
        string path = dir.File("oneline.nrrd");
        using (var f = File.Create(path))
        {
            f.Write("NRRD0004 "u8);
            f.Write(new byte[3 << 20]);
        }
        Fails(path, "header");

        // A short header that stops without its blank line and names no data file.
        Assert.Contains("blank line", Fails(Text(dir, "noblank.nrrd", string.Join("\n", Good) + "\n"), "header").Message);
    }

    [Fact]
    public void FourDimensionalVectorDataIsNotAScalarVolume()
    {
        using var dir = new TestDir();
        string path = Attached(dir, "vec.nrrd", new byte[72], "NRRD0004", "type: short", "dimension: 4", "sizes: 3 3 2 2",
            "kinds: vector domain domain domain", "encoding: raw");
        Assert.Contains("values per voxel", Fails(path, "sizes").Message);
        string unmarked = Attached(dir, "unmarked.nrrd", new byte[96], "NRRD0004", "type: short", "dimension: 4", "sizes: 2 2 3 4", "encoding: raw");
        Fails(unmarked, "kinds");
    }

    [Fact]
    public void EveryTruncationOfAGoodFileFailsCleanly()
    {
        using var dir = new TestDir();
        string good = Attached(dir, "good.nrrd", GoodData, Good);
        var bytes = File.ReadAllBytes(good);
        for (int length = 0; length < bytes.Length; length++)
        {
            string cut = dir.File($"cut{length}.nrrd");
            File.WriteAllBytes(cut, bytes[..length]);
            Assert.Throws<VolumeFormatException>(() => NrrdFile.Read(cut));
        }
    }

    [Fact]
    public void RandomByteDamageNeverEscapesAsAnotherException()
    {
        using var dir = new TestDir();
        var bytes = File.ReadAllBytes(Attached(dir, "good.nrrd", Gzip(Enumerable.Range(0, 24).Select(n => (byte)n).ToArray()),
            With("encoding", "encoding: gzip")));
        var random = new Random(2024);
        for (int trial = 0; trial < 400; trial++)
        {
            var damaged = (byte[])bytes.Clone();
            for (int hits = random.Next(1, 4); hits > 0; hits--)
                damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            string path = dir.File("damaged.nrrd");
            File.WriteAllBytes(path, damaged);
            try
            {
                NrrdFile.Read(path);
            }
            catch (VolumeFormatException)
            {
            }
        }
    }
}
