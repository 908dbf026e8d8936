using System.Buffers.Binary;
using System.IO.Compression;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Server.Tests.Limits;

/// <summary>
/// Real gzip bombs, built without ever holding the inflated bytes: one gzip member of 64 MiB of zeros is compressed
/// once (streaming, ~64 KB) and repeated — a gzip file may be a series of members, and readers inflate them as one
/// stream. The first member holds a valid NIfTI/NRRD header declaring the shape the test chooses.
/// </summary>
public static class GzipBomb
{
    public const long MemberBytes = 64L << 20;

    private static readonly Lazy<byte[]> ZeroMember = new(() =>
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            byte[] zeros = new byte[1 << 20];
            for (long written = 0; written < MemberBytes; written += zeros.Length) gzip.Write(zeros);
        }
        return output.ToArray();
    });

    /// <summary>A .nii.gz whose header declares <paramref name="declared"/> voxels of <paramref name="type"/> and whose
    /// gzip data inflate to <paramref name="members"/> × 64 MiB more (zeros: valid voxels, then trailing data).
    /// Returns the file's size.</summary>
    public static long WriteNifti(string path, Shape3 declared, VoxelType type, int members)
    {
        // A real header from the library's writer for a 1-voxel volume, then the dims patched: the header of a volume
        // too large to build (dim[] at byte 40 as little-endian shorts, NIfTI-1 §dim).
        string tiny = path + ".tiny.nii";
        NiftiFile.Write(tiny, Volume.Create(type, new ImageGeometry(new Shape3(1, 1, 1), new Vec3(1, 1, 1), Vec3.Zero, Mat3.Identity)));
        byte[] header = File.ReadAllBytes(tiny)[..352];
        File.Delete(tiny);
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(42), checked((short)declared.X));
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(44), checked((short)declared.Y));
        BinaryPrimitives.WriteInt16LittleEndian(header.AsSpan(46), checked((short)declared.Z));
        using var file = File.Create(path);
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(header);
        for (int m = 0; m < members; m++) file.Write(ZeroMember.Value);
        return file.Length;
    }

    /// <summary>An attached-data .nrrd (encoding gzip) declaring int16 <paramref name="declared"/>, its gzip data
    /// <paramref name="members"/> × 64 MiB of zeros.</summary>
    public static long WriteNrrd(string path, Shape3 declared, int members)
    {
        string header = $"NRRD0004\ntype: short\ndimension: 3\nsizes: {declared.X} {declared.Y} {declared.Z}\nencoding: gzip\nendian: little\n" +
                        "space: left-posterior-superior\nspace directions: (1,0,0) (0,1,0) (0,0,1)\nspace origin: (0,0,0)\n\n";
        using var file = File.Create(path);
        file.Write(System.Text.Encoding.ASCII.GetBytes(header));
        for (int m = 0; m < members; m++) file.Write(ZeroMember.Value);
        return file.Length;
    }
}
