using System.Buffers.Binary;
using System.IO.Compression;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Tests;

/// <summary>Helpers for the NIfTI tests: the committed nibabel fixtures, the voxel pattern they hold,
/// and byte-level patching of header fields at their standard offsets.</summary>
internal static class NiftiTestFiles
{
    public static string Fixture(string name) => Path.Combine(TestPaths.RepoRoot, "tests", "fixtures", "nifti", name);

    /// <summary>The value make_fixtures.py stores at voxel (i, j, k).</summary>
    public static double Pattern(int i, int j, int k, double baseValue) => i + 10 * j + 100 * k + baseValue;

    public static Volume<short> PatternVolume(ImageGeometry g, short baseValue)
    {
        var v = new Volume<short>(g);
        for (int k = 0; k < g.Shape.Z; k++)
            for (int j = 0; j < g.Shape.Y; j++)
                for (int i = 0; i < g.Shape.X; i++)
                    v[i, j, k] = (short)Pattern(i, j, k, baseValue);
        return v;
    }

    /// <summary>The bytes of an uncompressed .nii holding a small int16 volume, written by our writer.</summary>
    public static byte[] SmallNii(TestDir dir)
    {
        var g = new ImageGeometry(new Shape3(4, 3, 2), new Vec3(1, 2, 3));
        string path = dir.File("small.nii");
        NiftiFile.Write(path, PatternVolume(g, -5));
        return File.ReadAllBytes(path);
    }

    public static void PutInt16(byte[] file, int offset, short value) => BinaryPrimitives.WriteInt16LittleEndian(file.AsSpan(offset), value);
    public static void PutInt32(byte[] file, int offset, int value) => BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(offset), value);
    public static void PutSingle(byte[] file, int offset, float value) => BinaryPrimitives.WriteSingleLittleEndian(file.AsSpan(offset), value);
    public static short GetInt16(byte[] file, int offset) => BinaryPrimitives.ReadInt16LittleEndian(file.AsSpan(offset));
    public static float GetSingle(byte[] file, int offset) => BinaryPrimitives.ReadSingleLittleEndian(file.AsSpan(offset));

    public static byte[] Gzip(ReadOnlySpan<byte> data)
    {
        var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return output.ToArray();
    }

    public static byte[] Gunzip(string path)
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        var output = new MemoryStream();
        gz.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Header field offsets of the NIfTI-1 standard used by the tests.</summary>
    public static class Offset
    {
        public const int SizeofHdr = 0, Dim = 40, Datatype = 70, Bitpix = 72, Pixdim = 76, VoxOffset = 108;
        public const int SclSlope = 112, SclInter = 116, XyztUnits = 123, QformCode = 252, SformCode = 254;
        public const int QuaternB = 256, Qoffset = 268, SrowX = 280, SrowY = 296, SrowZ = 312, Magic = 344;
    }
}
