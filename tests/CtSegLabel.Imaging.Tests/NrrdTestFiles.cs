using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Tests;

/// <summary>Builds NRRD files byte by byte, the way another program would have written them.</summary>
internal static class NrrdTestFiles
{
    /// <summary>Writes header lines, the blank line, then the data bytes.</summary>
    public static string Attached(TestDir dir, string name, byte[] data, params string[] headerLines)
    {
        string path = dir.File(name);
        using var file = File.Create(path);
        file.Write(Encoding.UTF8.GetBytes(string.Join("\n", headerLines) + "\n\n"));
        file.Write(data);
        return path;
    }

    /// <summary>Writes a header file with no data (detached, or one that never ends).</summary>
    public static string Text(TestDir dir, string name, string text)
    {
        string path = dir.File(name);
        File.WriteAllText(path, text);
        return path;
    }

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(data);
        return output.ToArray();
    }

    public static byte[] Bytes<T>(params T[] values) where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    /// <summary>Each value's bytes reversed: the same values as a big-endian machine stores them.</summary>
    public static byte[] BigEndian<T>(params T[] values) where T : unmanaged
    {
        var bytes = Bytes(values);
        int size = Marshal.SizeOf<T>();
        for (int n = 0; n < bytes.Length; n += size) Array.Reverse(bytes, n, size);
        return bytes;
    }

    /// <summary>A volume whose bytes are random (every bit pattern, NaN payloads included, must survive).</summary>
    public static Volume RandomVolume(VoxelType type, ImageGeometry geometry, int seed)
    {
        var volume = Volume.Create(type, geometry);
        new Random(seed).NextBytes(volume.Bytes);
        return volume;
    }

    public static ImageGeometry Oblique(Shape3 shape)
    {
        double c = Math.Cos(0.5), s = Math.Sin(0.5), t = Math.Cos(0.2), u = Math.Sin(0.2);
        var rz = Mat3.FromColumns(new Vec3(c, s, 0), new Vec3(-s, c, 0), new Vec3(0, 0, 1));
        var rx = Mat3.FromColumns(new Vec3(1, 0, 0), new Vec3(0, t, u), new Vec3(0, -u, t));
        return new ImageGeometry(shape, new Vec3(0.7, 0.8, 2.5), new Vec3(-120.25, 33.5, 1402.75), rz * rx);
    }

    public static void AssertSameCorners(ImageGeometry expected, ImageGeometry actual, double tolMm = 1e-5)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        foreach (var (e, a) in expected.CornerCentres().Zip(actual.CornerCentres()))
            Assert.True((e - a).MaxAbs <= tolMm, $"corner {a} differs from {e} by {(e - a).MaxAbs} mm");
    }

    public static VolumeFormatException Fails(string path, string field, ReadOptions? options = null)
    {
        var e = Assert.Throws<VolumeFormatException>(() => NrrdFile.Read(path, options));
        Assert.Equal(field, e.Field);
        Assert.Contains(field, e.Message);
        Assert.Contains(Path.GetFileName(e.FilePath), e.Message);
        return e;
    }
}
