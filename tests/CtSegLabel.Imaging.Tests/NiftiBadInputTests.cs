using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;
using static CtSegLabel.Imaging.Tests.NiftiTestFiles;

namespace CtSegLabel.Imaging.Tests;

/// <summary>Every malformed file is refused with a <see cref="VolumeFormatException"/> that names the
/// file and the header field at fault; nothing crashes, hangs or allocates what the header claims.</summary>
public class NiftiBadInputTests
{
    private static VolumeFormatException ReadBroken(TestDir dir, byte[] bytes, ReadOptions? options = null, string name = "broken.nii")
    {
        string path = dir.File(name);
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<VolumeFormatException>(() => NiftiFile.Read(path, options));
        Assert.Contains(name, e.Message);
        Assert.Contains(e.Field, e.Message);
        return e;
    }

    private static VolumeFormatException ReadPatched(Action<byte[]> patch, ReadOptions? options = null)
    {
        using var dir = new TestDir();
        var bytes = SmallNii(dir);
        patch(bytes);
        return ReadBroken(dir, bytes, options);
    }

    [Fact]
    public void EmptyFile()
    {
        using var dir = new TestDir();
        var e = ReadBroken(dir, []);
        Assert.Equal("header", e.Field);
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void TruncatedHeader()
    {
        using var dir = new TestDir();
        var e = ReadBroken(dir, SmallNii(dir)[..100]);
        Assert.Equal("header", e.Field);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void WrongSizeofHdr()
    {
        var e = ReadPatched(b => PutInt32(b, Offset.SizeofHdr, 123));
        Assert.Equal("sizeof_hdr", e.Field);
        Assert.Contains("123", e.Message);
    }

    [Theory]
    [InlineData(540)]
    [InlineData(0x1C020000)] // 540 byte-swapped
    public void NiftiTwoIsRefusedByName(int sizeofHdr)
    {
        var e = ReadPatched(b => PutInt32(b, Offset.SizeofHdr, sizeofHdr));
        Assert.Equal("sizeof_hdr", e.Field);
        Assert.Contains("NIfTI-2 is not supported", e.Message);
    }

    [Fact]
    public void SeparateHeaderAndImageMagic()
    {
        var e = ReadPatched(b => "ni1\0"u8.CopyTo(b.AsSpan(Offset.Magic)));
        Assert.Equal("magic", e.Field);
        Assert.Contains(".hdr/.img", e.Message);
    }

    [Fact]
    public void GarbageMagic()
    {
        var e = ReadPatched(b => "xyz\x01"u8.CopyTo(b.AsSpan(Offset.Magic)));
        Assert.Equal("magic", e.Field);
        Assert.Contains("xyz\\x01", e.Message);
    }

    [Theory]
    [InlineData(128, "RGB24")]
    [InlineData(32, "complex64")]
    [InlineData(1024, "int64")]
    [InlineData(1536, "float128")]
    [InlineData(0, "unknown")]
    [InlineData(999, "code 999")]
    public void UnsupportedDatatype(short code, string named)
    {
        var e = ReadPatched(b => PutInt16(b, Offset.Datatype, code));
        Assert.Equal("datatype", e.Field);
        Assert.Contains(named, e.Message);
        Assert.Contains(code.ToString(), e.Message);
    }

    [Fact]
    public void BitpixDisagreeingWithDatatype()
    {
        var e = ReadPatched(b => PutInt16(b, Offset.Bitpix, 8));
        Assert.Equal("bitpix", e.Field);
    }

    [Theory]
    [InlineData(0, 0, "dim[0]")]
    [InlineData(0, 8, "dim[0]")]
    [InlineData(2, 0, "dim[2]")]
    [InlineData(3, -4, "dim[3]")]
    public void ImpossibleDimensions(int index, short value, string field)
    {
        var e = ReadPatched(b => PutInt16(b, Offset.Dim + 2 * index, value));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void TimeSeriesIsRefusedNamingDim4()
    {
        var e = ReadPatched(b =>
        {
            PutInt16(b, Offset.Dim, 4);
            PutInt16(b, Offset.Dim + 8, 5);
        });
        Assert.Equal("dim[4]", e.Field);
        Assert.Contains("5 volumes", e.Message);
    }

    [Fact]
    public void HigherDimensionsMustBeOne()
    {
        var e = ReadPatched(b =>
        {
            PutInt16(b, Offset.Dim, 5);
            PutInt16(b, Offset.Dim + 10, 2);
        });
        Assert.Equal("dim[5]", e.Field);
    }

    [Fact]
    public void VoxelCountOverTheLimitIsRefusedBeforeAllocating()
    {
        var e = ReadPatched(b => { }, new ReadOptions { MaxVoxels = 23 });
        Assert.Equal("dim", e.Field);
        Assert.Contains("MaxVoxels", e.Message);

        // 32767³ voxels (7e13) under the default limit: refused from the header, not by running out of memory.
        e = ReadPatched(b =>
        {
            for (int n = 1; n <= 3; n++) PutInt16(b, Offset.Dim + 2 * n, short.MaxValue);
        });
        Assert.Equal("dim", e.Field);
    }

    [Fact]
    public void UncompressedDataShorterThanDeclared()
    {
        using var dir = new TestDir();
        var bytes = SmallNii(dir); // 4×3×2 int16 = 48 bytes of voxels
        var e = ReadBroken(dir, bytes[..(352 + 30)]);
        Assert.Equal("voxel data", e.Field);
        Assert.Contains("truncated: expected 48 bytes of voxel data, found 30", e.Message);
    }

    [Fact]
    public void CompressedDataShorterThanDeclared()
    {
        using var dir = new TestDir();
        var bytes = SmallNii(dir);
        var e = ReadBroken(dir, Gzip(bytes.AsSpan(0, 352 + 31)), name: "short.nii.gz");
        Assert.Equal("voxel data", e.Field);
        Assert.Contains("truncated: expected 48 bytes of voxel data, found 31", e.Message);
    }

    [Fact]
    public void GzipStreamCutMidwayIsRefused()
    {
        using var dir = new TestDir();
        var v = PatternVolume(new ImageGeometry(new Shape3(40, 40, 10), Vec3.One), 0);
        NiftiFile.Write(dir.File("whole.nii.gz"), v);
        var whole = File.ReadAllBytes(dir.File("whole.nii.gz"));
        var e = ReadBroken(dir, whole[..(whole.Length / 2)], name: "cut.nii.gz");
        Assert.Contains(e.Field, new[] { "voxel data", "compressed data" });
    }

    [Fact]
    public void CorruptDeflateDataIsWrapped()
    {
        using var dir = new TestDir();
        // A valid gzip member header followed by a deflate block of the reserved type 3.
        byte[] bytes = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
        var e = ReadBroken(dir, bytes, name: "corrupt.nii.gz");
        Assert.Equal("compressed data", e.Field);
        Assert.IsType<InvalidDataException>(e.InnerException);
    }

    [Fact]
    public void InflatingPastTheDecompressionLimitIsRefused()
    {
        using var dir = new TestDir();
        // A 64³ int16 volume of zeros: 512 KiB inflated from a few kilobytes.
        NiftiFile.Write(dir.File("bomb.nii.gz"), new Volume<short>(new ImageGeometry(new Shape3(64, 64, 64), Vec3.One)));
        Assert.True(new FileInfo(dir.File("bomb.nii.gz")).Length < 16_384);
        var e = Assert.Throws<VolumeFormatException>(() =>
            NiftiFile.Read(dir.File("bomb.nii.gz"), new ReadOptions { MaxDecompressedBytes = 100_000 }));
        Assert.Equal("dim", e.Field);
        Assert.Contains("MaxDecompressedBytes", e.Message);
        Assert.Contains("bomb.nii.gz", e.Message);

        // A limit below even the header is hit while inflating, by the stream guard itself.
        e = Assert.Throws<VolumeFormatException>(() =>
            NiftiFile.Read(dir.File("bomb.nii.gz"), new ReadOptions { MaxDecompressedBytes = 200 }));
        Assert.Equal("compressed data", e.Field);
        Assert.Contains("MaxDecompressedBytes", e.Message);
    }

    [Fact]
    public void ExtensionBytesCountAgainstTheDecompressionLimit()
    {
        using var dir = new TestDir();
        var bytes = SmallNii(dir);
        // vox_offset puts the voxels 1 MB in, past the limit; with the default limit the file reads.
        PutSingle(bytes, Offset.VoxOffset, 1_000_000);
        var padded = bytes[..352].Concat(new byte[1_000_000 - 352]).Concat(bytes[352..]).ToArray();
        var e = ReadBroken(dir, Gzip(padded), new ReadOptions { MaxDecompressedBytes = 500_000 }, "padded.nii.gz");
        Assert.Equal("vox_offset", e.Field);
        Assert.Contains("MaxDecompressedBytes", e.Message);
        Assert.True(NiftiFile.Read(dir.File("padded.nii.gz")).Bytes.SequenceEqual(NiftiFile.Read(WriteSmall(dir)).Bytes));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1.5f)]
    [InlineData(float.NaN)]
    public void BadPixdimSpacingWhenTheQformIsUsed(float spacing)
    {
        var e = ReadPatched(b =>
        {
            PutInt16(b, Offset.SformCode, 0);
            PutSingle(b, Offset.Pixdim + 8, spacing);
        });
        Assert.Equal("pixdim[2]", e.Field);
    }

    [Fact]
    public void BadPixdimSpacingWithNoTransformAtAll()
    {
        var e = ReadPatched(b =>
        {
            PutInt16(b, Offset.SformCode, 0);
            PutInt16(b, Offset.QformCode, 0);
            PutSingle(b, Offset.Pixdim + 4, 0);
        });
        Assert.Equal("pixdim[1]", e.Field);
    }

    [Fact]
    public void ZeroSformColumn()
    {
        var e = ReadPatched(b =>
        {
            foreach (int row in new[] { Offset.SrowX, Offset.SrowY, Offset.SrowZ }) PutSingle(b, row + 4, 0);
        });
        Assert.Contains("srow", e.Field);
        Assert.Contains("column 1 is zero", e.Message);
    }

    [Fact]
    public void SingularSform()
    {
        var e = ReadPatched(b =>
        {
            // Column 1 made equal to column 0: two voxel axes along the same world direction.
            foreach (int row in new[] { Offset.SrowX, Offset.SrowY, Offset.SrowZ }) PutSingle(b, row + 4, GetSingle(b, row));
        });
        Assert.Contains("srow", e.Field);
        Assert.Contains("singular", e.Message);
    }

    [Fact]
    public void NonFiniteSform()
    {
        var e = ReadPatched(b => PutSingle(b, Offset.SrowY + 12, float.PositiveInfinity));
        Assert.Equal("srow_y", e.Field);
    }

    [Fact]
    public void QuaternionLongerThanOne()
    {
        var e = ReadPatched(b =>
        {
            PutInt16(b, Offset.SformCode, 0);
            PutSingle(b, Offset.QuaternB, 0.9f);
            PutSingle(b, Offset.QuaternB + 4, 0.9f);
        });
        Assert.Equal("quatern_b/c/d", e.Field);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(348f)]
    [InlineData(352.5f)]
    [InlineData(float.NaN)]
    public void BadVoxOffset(float offset)
    {
        var e = ReadPatched(b => PutSingle(b, Offset.VoxOffset, offset));
        Assert.Equal("vox_offset", e.Field);
    }

    [Fact]
    public void InfiniteSclInter()
    {
        var e = ReadPatched(b =>
        {
            PutSingle(b, Offset.SclSlope, 2);
            PutSingle(b, Offset.SclInter, float.NegativeInfinity);
        });
        Assert.Equal("scl_inter", e.Field);
    }

    [Fact]
    public void NotANiftiFileAtAll()
    {
        using var dir = new TestDir();
        var e = ReadBroken(dir, "# this is a text file that happens to be named like an image\n"u8.ToArray().Concat(new byte[400]).ToArray());
        Assert.Equal("sizeof_hdr", e.Field);
    }

    [Theory]
    [InlineData(0f, 0f)]
    [InlineData(float.NaN, 5f)]
    [InlineData(1f, 0f)]
    public void IdentityScalingLeavesTheStoredTypeAlone(float slope, float inter)
    {
        using var dir = new TestDir();
        var bytes = SmallNii(dir);
        PutSingle(bytes, Offset.SclSlope, slope);
        PutSingle(bytes, Offset.SclInter, inter);
        File.WriteAllBytes(dir.File("s.nii"), bytes);
        var v = Assert.IsType<Volume<short>>(NiftiFile.Read(dir.File("s.nii")));
        Assert.Equal(-5, v[0, 0, 0]);
    }

    [Fact]
    public void WriteThatFailsAtTheRenameLeavesNothingBehind()
    {
        using var dir = new TestDir();
        // The target is an existing directory: the voxels are fully written to the temporary file, then
        // the final rename fails.
        string target = dir.File("taken.nii.gz");
        Directory.CreateDirectory(target);
        var v = PatternVolume(new ImageGeometry(new Shape3(8, 8, 8), Vec3.One), 0);
        Assert.ThrowsAny<IOException>(() => NiftiFile.Write(target, v));
        Assert.Empty(Directory.GetFiles(dir.Path));
        Assert.True(Directory.Exists(target));
    }

    [Fact]
    public void UnwritableVolumeLeavesTheExistingFileUntouched()
    {
        using var dir = new TestDir();
        string path = WriteSmall(dir);
        var before = File.ReadAllBytes(path);
        var tooWide = new Volume<byte>(new ImageGeometry(new Shape3(40000, 1, 1), Vec3.One));
        var e = Assert.Throws<VolumeFormatException>(() => NiftiFile.Write(path, tooWide));
        Assert.Equal("dim[1]", e.Field);
        var badSpacing = new Volume<byte>(new ImageGeometry(new Shape3(2, 2, 2), new Vec3(1, double.NaN, 1)));
        e = Assert.Throws<VolumeFormatException>(() => NiftiFile.Write(path, badSpacing));
        Assert.Equal("pixdim[2]", e.Field);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    private static string WriteSmall(TestDir dir)
    {
        string path = dir.File("small.nii");
        File.WriteAllBytes(path, SmallNii(dir));
        return path;
    }
}
