using System.IO.Compression;
using System.Numerics;
using System.Runtime.InteropServices;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Tests.Operators;

/// <summary>
/// Just enough NIfTI-1 to load the two shared example files (little-endian, int16 CT / uint8 labels, sform,
/// slope 1) for the operator tests, so they run on real CT without depending on the NIfTI reader being
/// written in parallel. Checks what it relies on and refuses anything else.
/// </summary>
internal static class SharedNifti
{
    public static Volume<T> Read<T>(string path) where T : unmanaged, INumber<T>
    {
        using var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        gz.CopyTo(buffer);
        var bytes = buffer.ToArray();
        var h = bytes.AsSpan();
        Assert.Equal(348, BitConverter.ToInt32(bytes, 0));
        Assert.Equal(3, BitConverter.ToInt16(bytes, 40));
        var shape = new Shape3(BitConverter.ToInt16(bytes, 42), BitConverter.ToInt16(bytes, 44), BitConverter.ToInt16(bytes, 46));
        short datatype = BitConverter.ToInt16(bytes, 70);
        Assert.Equal(VoxelTypes.Of<T>() switch { VoxelType.Int16 => 4, VoxelType.UInt8 => 2, _ => -1 }, datatype);
        int offset = (int)BitConverter.ToSingle(bytes, 108);
        float slope = BitConverter.ToSingle(bytes, 112);
        Assert.True(slope is 0 or 1);
        Assert.True(BitConverter.ToInt16(bytes, 254) > 0, "sform expected");
        var affine = new double[4, 4];
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 4; c++)
                affine[r, c] = BitConverter.ToSingle(bytes, 280 + 16 * r + 4 * c);
        affine[3, 3] = 1;
        var geometry = ImageGeometry.FromRasAffine(shape, affine);
        var data = MemoryMarshal.Cast<byte, T>(h.Slice(offset, (int)shape.VoxelCount * VoxelTypes.Of<T>().Size())).ToArray();
        return new Volume<T>(geometry, data);
    }
}
